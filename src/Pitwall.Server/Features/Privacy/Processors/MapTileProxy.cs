using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary>
/// The portal's map tiles, fetched by the server (P4): the browser asks <see cref="UrlTemplate"/>, the server asks the
/// provider (<c>Pitwall:Portal:TileUrl</c>) through the processor gateway, so the provider sees the server's address and
/// the tile coordinates, never the browser's address, cookies, Referer or User-Agent. Tiles are kept in a bounded cache
/// for as long as the provider allows (within limits); concurrent requests for one tile make one fetch; a provider that
/// fails or does not answer in time gives the browser a 502 or 504, never a hang.
/// </summary>
internal sealed partial class MapTileProxy : IDisposable
{
    public const string HttpClientName = "pitwall.privacy.tiles";

    /// <summary>The Leaflet URL template the portal's maps use.</summary>
    public const string UrlTemplate = "/tiles/{z}/{x}/{y}.png";

    private readonly IHttpClientFactory _http;
    private readonly ProcessorGateway _gateway;
    private readonly PortalOptions _portal;
    private readonly MapTileOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MapTileProxy> _logger;
    private readonly SemaphoreSlim _fetches;
    private readonly ConcurrentDictionary<TileKey, Lazy<Task<TileAnswer>>> _inFlight = new();

    public MapTileProxy(IHttpClientFactory http, ProcessorGateway gateway, IOptions<PortalOptions> portal, IOptions<MapTileOptions> options,
        TimeProvider time, ILogger<MapTileProxy> logger)
    {
        _http = http;
        _gateway = gateway;
        _portal = portal.Value;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _fetches = new SemaphoreSlim(_options.TileConcurrentFetches, _options.TileConcurrentFetches);
        Cache = new TileCache(_options.TileCacheBytes, time);
    }

    public TileCache Cache { get; }

    /// <summary>How many times the provider was asked (cache misses that fetched), since start.</summary>
    public long Fetches => Interlocked.Read(ref _fetchCount);

    private long _fetchCount;

    /// <summary>The tile from the cache, else from the provider (one fetch for concurrent requests of the same tile).</summary>
    public async Task<TileAnswer> GetAsync(TileKey key, CancellationToken cancellationToken)
    {
        if (Cache.TryGet(key, out var cached))
        {
            return new TileAnswer.Tile(cached.Content, cached.ContentType, cached.FreshUntil - _time.GetUtcNow());
        }
        var fetch = _inFlight.GetOrAdd(key, k => new Lazy<Task<TileAnswer>>(() => FetchAsync(k)));
        // The fetch is shared and bounded by its own time-out: a browser that goes away does not cancel it for the others.
        return await fetch.Value.WaitAsync(cancellationToken);
    }

    private async Task<TileAnswer> FetchAsync(TileKey key)
    {
        try
        {
            using var deadline = new CancellationTokenSource(_options.TileTimeout);
            try
            {
                await _fetches.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                LogTimedOut(_logger, key.Z);
                return new TileAnswer.TimedOut();
            }
            try
            {
                Interlocked.Increment(ref _fetchCount);
                return await FetchFromProviderAsync(key, deadline.Token);
            }
            finally
            {
                _fetches.Release();
            }
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<TileAnswer> FetchFromProviderAsync(TileKey key, CancellationToken deadline)
    {
        // P4: the provider gets the tile coordinates, and nothing the gateway does not release for it.
        var released = _gateway.Release(PortalProcessors.MapTiles, new OutboundData { { DataElement.TileCoordinates, key.ToString() } });
        if (released[DataElement.TileCoordinates] is not { } coordinates || ProviderUrl(_portal.TileUrl, coordinates) is not { } url)
        {
            return new TileAnswer.ProviderFailed("the tile URL is not usable");
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("image/png, image/*;q=0.8");
            using var response = await _http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new TileAnswer.NotFound();
            }
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (!response.IsSuccessStatusCode)
            {
                LogProviderFailed(_logger, $"answered {status}");
                return new TileAnswer.ProviderFailed($"answered {status}");
            }
            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (contentType is null || !contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                LogProviderFailed(_logger, "sent no image");
                return new TileAnswer.ProviderFailed("sent no image");
            }
            if (await ReadLimitedAsync(response, _options.TileMaxBytes, deadline) is not { } content)
            {
                LogProviderFailed(_logger, "sent a tile larger than Pitwall:Portal:TileMaxBytes");
                return new TileAnswer.ProviderFailed("sent too large a tile");
            }
            var freshFor = FreshFor(response, _options, _time.GetUtcNow());
            if (freshFor > TimeSpan.Zero)
            {
                Cache.Add(key, new CachedTile(content, contentType, _time.GetUtcNow() + freshFor));
            }
            return new TileAnswer.Tile(content, contentType, freshFor);
        }
        catch (HttpRequestException e)
        {
            LogProviderFailed(_logger, $"unreachable ({e.HttpRequestError})");
            return new TileAnswer.ProviderFailed("unreachable");
        }
        catch (OperationCanceledException)
        {
            LogTimedOut(_logger, key.Z);
            return new TileAnswer.TimedOut();
        }
    }

    /// <summary>The provider's URL for a tile: <c>{z}</c>, <c>{x}</c>, <c>{y}</c> from the released coordinates, <c>{s}</c>
    /// (a Leaflet subdomain) as <c>a</c>, <c>{r}</c> (retina suffix) empty; null when the template is not an http(s) URL.</summary>
    public static Uri? ProviderUrl(string template, string coordinates)
    {
        var parts = coordinates.Split('/');
        if (parts.Length != 3)
        {
            return null;
        }
        var text = template.Replace("{z}", parts[0], StringComparison.Ordinal).Replace("{x}", parts[1], StringComparison.Ordinal)
            .Replace("{y}", parts[2], StringComparison.Ordinal).Replace("{s}", "a", StringComparison.Ordinal).Replace("{r}", "", StringComparison.Ordinal);
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url : null;
    }

    /// <summary>Whether <c>Pitwall:Portal:TileUrl</c> can be fetched by the proxy: an absolute http(s) URL naming z, x and y.</summary>
    public static bool IsUsableTemplate(string? template) =>
        template is not null && template.Contains("{z}", StringComparison.Ordinal) && template.Contains("{x}", StringComparison.Ordinal) &&
        template.Contains("{y}", StringComparison.Ordinal) && ProviderUrl(template, "0/0/0") is not null;

    /// <summary>
    /// How long the server may keep the tile, as a shared cache: nothing for <c>no-store</c>, <c>no-cache</c> and
    /// <c>private</c>; else <c>s-maxage</c>, <c>max-age</c> or <c>Expires</c> less the <c>Age</c> it already has, else
    /// the default; never longer than <see cref="MapTileOptions.TileCacheMaxAge"/>.
    /// </summary>
    public static TimeSpan FreshFor(HttpResponseMessage response, MapTileOptions options, DateTimeOffset now)
    {
        var control = response.Headers.CacheControl;
        if (control is { NoStore: true } or { NoCache: true } or { Private: true })
        {
            return TimeSpan.Zero;
        }
        var fresh = control?.SharedMaxAge ?? control?.MaxAge
            ?? (response.Content.Headers.Expires is { } expires ? expires - (response.Headers.Date ?? now) : options.TileCacheDefaultAge);
        if (response.Headers.Age is { } age)
        {
            fresh -= age;
        }
        return fresh < TimeSpan.Zero ? TimeSpan.Zero : fresh > options.TileCacheMaxAge ? options.TileCacheMaxAge : fresh;
    }

    private static async Task<byte[]?> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            return null;
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public void Dispose() => _fetches.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Map tile provider {Problem}; the portal's maps show no tiles")]
    private static partial void LogProviderFailed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Map tile provider did not answer in time (zoom {Zoom})")]
    private static partial void LogTimedOut(ILogger logger, int zoom);
}

/// <summary>What the proxy got for a tile.</summary>
internal abstract record TileAnswer
{
    private TileAnswer() { }

    /// <param name="FreshFor">How long the browser may keep it.</param>
    public sealed record Tile(byte[] Content, string ContentType, TimeSpan FreshFor) : TileAnswer;

    public sealed record NotFound : TileAnswer;

    public sealed record ProviderFailed(string Reason) : TileAnswer;

    public sealed record TimedOut : TileAnswer;
}
