using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Google.Protobuf;
using Pitwall.Protocol.Maps;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.MapUpdates;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.MapUpdates;

/// <summary>
/// Rotating the map token issuer's key (RFC 9578 §4's directory of token keys): <c>pitwall admin map-token-keys-rotate</c> adds a key in
/// the key directory; the running server signs with it from its not-before, the map distribution still takes the previous key's tokens
/// for the overlap and refuses them after; every token fetches once; a car that asks with the old key gets the new one.
/// </summary>
public sealed class MapTokenKeyRotationTests(MapSqliteServer server) : IClassFixture<MapSqliteServer>
{
    private static readonly TimeSpan Overlap = TimeSpan.FromDays(2); // Pitwall:Maps:TokenKeyOverlap's default

    private string KeyDirectory => Path.Combine(server.Own, "map-keys");

    private MapTokenIssuer Issuer => server.Get<MapTokenIssuer>();

    /// <summary>A token as a car makes it: blinded for <paramref name="key"/>, signed blind by the issuer, unblinded.</summary>
    private byte[] TokenOf(IssuerKey key)
    {
        var request = PrivateTokens.Request(key.TokenKey, Issuer.Challenge);
        return PrivateTokens.Finalize(key.TokenKey, request, MapTokenIssuer.Sign(key, [request.Blinded])[0])!;
    }

    private async Task<HttpResponseMessage> FetchAsync(byte[] token)
    {
        using var fetch = new HttpRequestMessage(HttpMethod.Get, "/map-distribution/v1/monaco/2/from-1.osc.gz");
        fetch.Headers.Authorization = new AuthenticationHeaderValue(PrivateTokens.Scheme, $"token=\"{PrivateTokens.Encode(token)}\"");
        return await server.Client.SendAsync(fetch);
    }

    private async Task<List<string>> DirectoryKeysAsync()
    {
        var response = await server.Client.GetAsync(MapIssuerDirectory.Path);
        Assert.Equal("application/private-token-issuer-directory", response.Content.Headers.ContentType!.MediaType);
        var directory = await response.JsonAsync();
        Assert.Equal("/vehicle/v1", directory.GetProperty("issuer-request-uri").GetString());
        Assert.All(directory.GetProperty("token-keys").EnumerateArray(), k => Assert.Equal(2, k.GetProperty("token-type").GetInt32()));
        return [.. directory.GetProperty("token-keys").EnumerateArray().Select(k => k.GetProperty("token-key").GetString()!)];
    }

    private static string Base64Url(byte[] key) => Convert.ToBase64String(key).Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task After_a_rotation_the_old_keys_token_redeems_once_during_the_overlap_and_not_after_it_and_the_new_key_signs()
    {
        await MapData.BuildAsync(server);
        var old = Issuer.Current;
        var (early, late) = (TokenOf(old), TokenOf(old));
        Assert.Equal(Base64Url(old.TokenKey), (await DirectoryKeysAsync())[0]); // the current key first

        // The operator's command, a process of its own on the server's key directory.
        var (exit, output) = await PitwallProcess.RunAsync(server.Own, "admin", "map-token-keys-rotate", "--key-directory", KeyDirectory,
            "--not-before", server.Clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            "--database", $"Data Source={Path.Combine(server.Own, "cli.db")}");
        Assert.True(exit == 0, output);
        Assert.Contains("new issuer key", output);
        var current = Issuer.Current;
        Assert.NotEqual(old.Id, current.Id);
        Assert.NotEqual(old.KeyId[^1], current.KeyId[^1]); // the truncated key ids differ (RFC 9578 §6.5)
        Assert.True(File.Exists(Path.Combine(KeyDirectory, $"{current.Id}.pem")));
        Assert.Equal([Base64Url(current.TokenKey), Base64Url(old.TokenKey)], (await DirectoryKeysAsync()).Take(2));

        // In the overlap: the old key's token fetches once; the new key's tokens fetch.
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(early)).StatusCode);
        var again = await FetchAsync(early);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal("map_token_spent", (await again.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(TokenOf(current))).StatusCode);

        // Past the overlap: the old key's other token is refused, the new key's still fetch.
        server.Clock.Advance(Overlap + TimeSpan.FromSeconds(1));
        var retired = await FetchAsync(late);
        Assert.Equal(HttpStatusCode.Unauthorized, retired.StatusCode);
        Assert.Equal("map_token_key_retired", (await retired.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(TokenOf(current))).StatusCode);
        Assert.Equal([Base64Url(current.TokenKey)], await DirectoryKeysAsync());
        Assert.Contains("token=retired status=401", await File.ReadAllTextAsync(server.DistributionLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_car_asking_with_tokens_for_a_rotated_key_gets_no_signature_but_the_current_key_and_then_its_package()
    {
        await MapData.BuildAsync(server);
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret);
        var known = Issuer.Current;
        var now = server.Clock.GetUtcNow();
        IssuerKeySet.Rotate(KeyDirectory, now, now, Overlap); // what map-token-keys-rotate does
        var current = Issuer.Current;
        Assert.NotEqual(known.Id, current.Id);

        async Task<(MapOffer Offer, TokenRequest Request)> PollAsync(string id, IssuerKey key)
        {
            var request = PrivateTokens.Request(key.TokenKey, Issuer.Challenge);
            var seq = car.NextSeq();
            await car.SendAsync(new Envelope
            {
                Seq = seq,
                MapPoll = new MapPoll
                {
                    RequestId = id, Region = "monaco", Version = 1, TokenKeyId = ByteString.CopyFrom(key.KeyId), BlindedTokens = { ByteString.CopyFrom(request.Blinded) },
                },
            });
            await car.WaitForAckAsync(seq);
            return ((await car.ReceiveAsync(Envelope.PayloadOneofCase.MapOffer)).MapOffer, request);
        }

        var (stale, _) = await PollAsync("stale", known);
        Assert.Equal(("stale", "", 2u, 0, 0), (stale.RequestId, stale.Unavailable, stale.LatestVersion, stale.Packages.Count, stale.BlindSignatures.Count));
        Assert.Equal(current.TokenKey, stale.TokenKey.ToByteArray());

        var (fresh, request) = await PollAsync("fresh", current);
        var package = Assert.Single(fresh.Packages);
        var token = PrivateTokens.Finalize(fresh.TokenKey.Span, request, Assert.Single(fresh.BlindSignatures).Span);
        Assert.NotNull(token);
        var response = await FetchAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(package.Sha256, Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync())));
    }
}

/// <summary>The key directory's rules without a server: the first key (or the legacy file), a key announced for later, the overlap,
/// and the keys a rotation deletes.</summary>
public sealed class IssuerKeySetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pitwall-map-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_key_announced_for_later_signs_from_its_time_and_its_predecessor_is_accepted_for_the_overlap_then_deleted_at_the_next_rotation()
    {
        var t0 = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var overlap = TimeSpan.FromDays(2);
        string first;
        using (var keys = IssuerKeySet.LoadOrCreate(_directory, t0))
        {
            first = Assert.Single(keys.Keys).Id;
        }

        var (second, dropped) = IssuerKeySet.Rotate(_directory, t0.AddHours(1), t0, overlap);
        Assert.Empty(dropped);
        using (var keys = IssuerKeySet.Load(_directory))
        {
            Assert.Equal(first, keys.Current(t0).Id); // announced, not yet signing
            Assert.False(keys.Accepts(keys.Keys[1], t0, overlap));
            Assert.Equal(second, keys.Current(t0.AddHours(2)).Id);
            Assert.True(keys.Accepts(keys.Keys[0], t0.AddHours(1) + overlap - TimeSpan.FromSeconds(1), overlap));
            Assert.False(keys.Accepts(keys.Keys[0], t0.AddHours(1) + overlap, overlap));
        }

        var later = t0.AddDays(3);
        var (third, deleted) = IssuerKeySet.Rotate(_directory, later, later, overlap);
        Assert.Equal([first], deleted);
        Assert.False(File.Exists(Path.Combine(_directory, $"{first}.pem")));
        using (var keys = IssuerKeySet.Load(_directory))
        {
            Assert.Equal([second, third], keys.Keys.Select(k => k.Id));
            Assert.Equal(third, keys.Current(later).Id);
            Assert.True(keys.Accepts(keys.Keys[0], later, overlap));
        }
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, $"{third}.pem")));
        }
    }

    [Fact]
    public void The_single_key_file_of_earlier_versions_becomes_the_first_key()
    {
        using var rsa = RSA.Create(2048);
        File.WriteAllText(Path.Combine(_directory, IssuerKeySet.LegacyFile), rsa.ExportPkcs8PrivateKeyPem());
        using var keys = IssuerKeySet.LoadOrCreate(_directory, DateTimeOffset.UnixEpoch);
        var key = Assert.Single(keys.Keys);
        Assert.Equal(PrivateTokens.KeyId(PrivateTokens.TokenKey(rsa.ExportParameters(false))), key.KeyId);
        Assert.Equal(Convert.ToHexStringLower(key.KeyId), key.Id);
    }
}
