using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Pitwall.Server.Features.Privacy.Processors;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>A portal session signed in over plain HTTP (the sign-in form with its antiforgery token), cookies kept by hand.</summary>
public sealed partial class PortalSession : IDisposable
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    private PortalSession(Uri baseAddress) =>
        Http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public HttpClient Http { get; }

    /// <summary>The session's cookies as a Cookie header value.</summary>
    public string Cookies => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public static async Task<PortalSession> SignInAsync(PitwallServer server, TestUser user)
    {
        var session = new PortalSession(server.Client.BaseAddress!);
        var form = await session.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/signin"));
        var token = AntiforgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEmpty(token);
        var signIn = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = user.Email, ["Password"] = user.Password, ["__RequestVerificationToken"] = token,
            }),
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("pitwall.portal", session.Cookies, StringComparison.Ordinal);
        return session;
    }

    /// <summary>Sends with the session's cookies (plus <paramref name="extraCookies"/>) and keeps what the server sets.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? extraCookies = null)
    {
        var cookies = string.Join("; ", new[] { Cookies, extraCookies }.Where(c => !string.IsNullOrEmpty(c)));
        if (cookies.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookies);
        }
        var response = await Http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var cookie in set.Select(c => c.Split(';', 2)[0].Split('=', 2)).Where(c => c.Length == 2))
            {
                _cookies[cookie[0]] = cookie[1];
            }
        }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// The tile proxy (<c>/tiles/{z}/{x}/{y}.png</c>) against a fake tile provider on loopback that records what it receives
/// (<see cref="FakeTileProvider"/>: the zoom level chooses its answer).
/// </summary>
public sealed class MapTileProxyTests(PortalServer server) : IClassFixture<PortalServer>
{
    private const string BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    private int RequestsFor(string path) => server.Tiles.Requests.Count(r => r.Path == path);

    private async Task<PortalSession> SignedInAsync() => await PortalSession.SignInAsync(server, await server.NewOwnerAsync());

    [Fact]
    public async Task The_provider_sees_only_the_server_and_the_coordinates_and_a_repeated_tile_comes_from_the_cache()
    {
        var owned = await server.OwnedVehicleAsync();
        using var session = await PortalSession.SignInAsync(server, owned.Owner);
        HttpRequestMessage Request()
        {
            // Everything a browser (or a proxy in front of the server) would add.
            var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/3/4/2.png");
            request.Headers.TryAddWithoutValidation("User-Agent", BrowserAgent);
            request.Headers.TryAddWithoutValidation("Referer", $"{server.Client.BaseAddress}vehicles/{owned.Vin}");
            request.Headers.TryAddWithoutValidation("Origin", server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
            request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.7");
            request.Headers.TryAddWithoutValidation("Accept-Language", "de-DE");
            return request;
        }

        var first = await session.SendAsync(Request(), extraCookies: "tracker=abc123");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/png", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(FakeTileProvider.Png, await first.Content.ReadAsByteArrayAsync());
        Assert.True(first.Headers.CacheControl is { Private: true, Public: false }, $"Cache-Control: {first.Headers.CacheControl}");
        Assert.Equal(TimeSpan.FromDays(1), first.Headers.CacheControl.MaxAge);

        var fetched = Assert.Single(server.Tiles.Requests, r => r.Path == "/3/4/2.png");
        Assert.Equal(PortalServer.TileUserAgent, fetched.Header("user-agent"));
        foreach (var header in new[] { "cookie", "referer", "origin", "x-forwarded-for", "forwarded", "x-real-ip", "traceparent", "accept-language" })
        {
            Assert.False(fetched.Headers.ContainsKey(header), $"the provider got a {header} header: {fetched.Header(header)}");
        }
        var everything = string.Join("\n", fetched.Headers.Select(h => $"{h.Key}: {h.Value}")) + fetched.Path;
        Assert.DoesNotContain(owned.Vin, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("203.0.113.7", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(owned.Owner.Email, everything, StringComparison.OrdinalIgnoreCase);

        var fetches = server.Get<MapTileProxy>().Fetches;
        var again = await session.SendAsync(Request());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(FakeTileProvider.Png, await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, RequestsFor("/3/4/2.png"));
        Assert.Equal(fetches, server.Get<MapTileProxy>().Fetches);
    }

    [Fact]
    public async Task A_tile_is_kept_as_long_as_the_provider_allows_and_not_at_all_when_it_forbids()
    {
        using var session = await SignedInAsync();
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/tiles/14/100/200.png")).StatusCode);
        var cached = await session.GetAsync("/tiles/14/100/200.png");
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(1, RequestsFor("/14/100/200.png"));
        Assert.InRange(cached.Headers.CacheControl!.MaxAge!.Value.TotalSeconds, 0, 60);

        server.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/tiles/14/100/200.png")).StatusCode);
        Assert.Equal(2, RequestsFor("/14/100/200.png"));

        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/tiles/15/1/2.png")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/tiles/15/1/2.png")).StatusCode);
        Assert.Equal(2, RequestsFor("/15/1/2.png"));
    }

    [Fact]
    public async Task Concurrent_requests_for_one_tile_make_one_fetch()
    {
        using var session = await SignedInAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => session.GetAsync("/tiles/6/33/22.png")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, RequestsFor("/6/33/22.png"));
    }

    [Theory]
    [InlineData("/tiles/20/0/0.png")]
    [InlineData("/tiles/99999999999/0/0.png")]
    [InlineData("/tiles/3/8/0.png")]
    [InlineData("/tiles/3/0/8.png")]
    [InlineData("/tiles/a/0/0.png")]
    [InlineData("/tiles/-1/0/0.png")]
    [InlineData("/tiles/3/-0/1.png")]
    [InlineData("/tiles/3/0/1.5.png")]
    [InlineData("/tiles/3/%200/1.png")]
    [InlineData("/tiles/3/0x1/1.png")]
    public async Task Bad_coordinates_are_a_400_problem_and_reach_no_provider(string path)
    {
        using var session = await SignedInAsync();
        var before = server.Tiles.Requests.Count;
        var problem = await (await session.GetAsync(path)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_tile");
        Assert.Contains("z must be 0 to 19", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, server.Tiles.Requests.Count);
    }

    [Fact]
    public async Task Without_a_portal_session_tiles_are_refused_with_a_401_problem()
    {
        var owner = await server.NewOwnerAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Client.BaseAddress };
        await (await anonymous.GetAsync("/tiles/7/1/1.png")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        // The API's bearer token is not a portal session.
        using var api = server.ClientWith(owner.AccessToken);
        await (await api.GetAsync("/tiles/7/1/1.png")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/tiles/7/1/1.png");
        forged.Headers.TryAddWithoutValidation("Cookie", "pitwall.portal=CfDJ8forged");
        await (await anonymous.SendAsync(forged)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, RequestsFor("/7/1/1.png"));
    }

    [Fact]
    public async Task A_failing_provider_is_a_502_a_missing_tile_a_404_and_a_silent_provider_a_504_within_the_time_out()
    {
        using var session = await SignedInAsync();
        await (await session.GetAsync("/tiles/18/5/5.png")).AssertProblemAsync(HttpStatusCode.BadGateway, "tile_provider_failed");
        await (await session.GetAsync("/tiles/16/5/5.png")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        var watch = Stopwatch.StartNew();
        await (await session.GetAsync("/tiles/17/5/5.png")).AssertProblemAsync(HttpStatusCode.GatewayTimeout, "tile_provider_timeout");
        // Pitwall:Portal:TileTimeout is 2 s for this server.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        // A failure is not cached: the next request asks again.
        await (await session.GetAsync("/tiles/18/5/5.png")).AssertProblemAsync(HttpStatusCode.BadGateway, "tile_provider_failed");
        Assert.Equal(2, RequestsFor("/18/5/5.png"));
    }
}

/// <summary>A server whose tile provider is gone (nothing listens on its port).</summary>
public sealed class DeadTileProviderServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return [new("Pitwall:Portal:TileUrl", $"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"), new("Pitwall:Portal:TileTimeout", "00:00:05")];
    }
}

public sealed class DeadTileProviderTests(DeadTileProviderServer server) : IClassFixture<DeadTileProviderServer>
{
    [Fact]
    public async Task A_dead_provider_is_a_502_at_once()
    {
        using var session = await PortalSession.SignInAsync(server, await server.NewOwnerAsync());
        var watch = Stopwatch.StartNew();
        var problem = await (await session.GetAsync("/tiles/2/1/1.png")).AssertProblemAsync(HttpStatusCode.BadGateway, "tile_provider_failed");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Contains("unreachable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The tile proxy's cache and freshness rules, on a hand-driven clock.</summary>
public sealed class TileCacheTests
{
    private static CachedTile Tile(TestClock clock, int bytes = 100, int seconds = 3600) =>
        new(new byte[bytes], "image/png", clock.GetUtcNow().AddSeconds(seconds));

    [Fact]
    public void The_cache_keeps_at_most_its_size_dropping_the_least_recently_used_and_forgets_what_is_stale()
    {
        var clock = new TestClock();
        var cache = new TileCache(800, clock);
        for (var x = 0; x < 8; x++)
        {
            cache.Add(new TileKey(5, x, 0), Tile(clock));
        }
        Assert.Equal(800, cache.Bytes);
        Assert.True(cache.TryGet(new TileKey(5, 0, 0), out _)); // now the most recently used
        cache.Add(new TileKey(5, 8, 0), Tile(clock));
        Assert.Equal(800, cache.Bytes);
        Assert.True(cache.TryGet(new TileKey(5, 0, 0), out _));
        Assert.False(cache.TryGet(new TileKey(5, 1, 0), out _)); // the least recently used went
        cache.Add(new TileKey(5, 9, 0), Tile(clock, bytes: 101)); // more than an eighth: not kept
        Assert.False(cache.TryGet(new TileKey(5, 9, 0), out _));

        cache.Add(new TileKey(6, 0, 0), Tile(clock, seconds: 60));
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.False(cache.TryGet(new TileKey(6, 0, 0), out _));
        Assert.True(cache.TryGet(new TileKey(5, 0, 0), out _));
        Assert.Equal(7, cache.Count); // the stale one is gone, and it had pushed out one more
    }

    [Theory]
    [InlineData("public, max-age=600", null, null, 600)]
    [InlineData("public, max-age=600, s-maxage=300", null, null, 300)]
    [InlineData("max-age=600", "100", null, 500)]
    [InlineData("max-age=99999999", null, null, 7 * 24 * 3600)]
    [InlineData("no-store", null, null, 0)]
    [InlineData("no-cache", null, null, 0)]
    [InlineData("private, max-age=600", null, null, 0)]
    [InlineData(null, null, 120, 120)]
    [InlineData(null, null, null, 24 * 3600)]
    public void Freshness_follows_the_providers_cache_control_for_a_shared_cache_within_limits(string? cacheControl, string? age, int? expiresIn, int seconds)
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1]) };
        response.Headers.Date = now;
        if (cacheControl is not null)
        {
            response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }
        if (age is not null)
        {
            response.Headers.TryAddWithoutValidation("Age", age);
        }
        if (expiresIn is { } expires)
        {
            response.Content.Headers.Expires = now.AddSeconds(expires);
        }
        Assert.Equal(TimeSpan.FromSeconds(seconds), MapTileProxy.FreshFor(response, new MapTileOptions(), now));
    }

    [Theory]
    [InlineData("https://tile.openstreetmap.org/{z}/{x}/{y}.png", true)]
    [InlineData("https://{s}.tile.example.com/{z}/{x}/{y}{r}.png?key=k", true)]
    [InlineData("/static/tiles/{z}/{x}/{y}.png", false)]
    [InlineData("ftp://tiles.example.com/{z}/{x}/{y}.png", false)]
    [InlineData("https://tiles.example.com/{z}/{x}.png", false)]
    public void The_tile_url_must_be_an_absolute_http_template_with_z_x_and_y(string template, bool usable)
    {
        Assert.Equal(usable, MapTileProxy.IsUsableTemplate(template));
        if (usable)
        {
            Assert.DoesNotContain("{", MapTileProxy.ProviderUrl(template, "3/4/2")!.ToString(), StringComparison.Ordinal);
        }
    }
}
