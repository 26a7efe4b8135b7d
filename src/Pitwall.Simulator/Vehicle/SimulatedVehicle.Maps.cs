using System.Net.Http.Headers;
using System.Security.Cryptography;
using Pitwall.Protocol;
using Pitwall.Protocol.Maps;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// Online map update (F5, H3): at every start the car names its navigation map's region and version (<see cref="MapPoll"/>) with
/// blinded token requests; Pitwall answers with the packages towards the newest version and blind signatures; the car unblinds them
/// into Privacy Pass tokens, fetches each package from the map distribution with one token (no VIN, no account, no car secret),
/// checks its size and SHA-256, applies it and reports the result (<see cref="MapUpdateResult"/>). The first poll of a car that does
/// not know the issuer's key yet carries no token requests; the offer brings the key and the car asks again at once, as it does when
/// the offer brings another key than the one it asked with (the issuer rotated its key).
/// </summary>
public sealed partial class SimulatedVehicle
{
    private string _mapRequest = "";
    private List<TokenRequest> _mapTokenRequests = [];
    private byte[]? _mapTokenKey;
    private byte[]? _mapTokenChallenge;
    private int _mapVersion = -1;
    private int _mapLatestKnown;
    private bool _mapDownloading;

    /// <summary>The version of the navigation map the car has of <see cref="SimulatedVehicleOptions.MapRegion"/>.</summary>
    public int MapVersion => Read(_ => CurrentMapVersion());

    /// <summary>The last map offer the car acted on, or null.</summary>
    public MapOffer? LastMapOffer { get; private set; }

    /// <summary>Every package the car fetched and applied, in order (region/from→to).</summary>
    public IReadOnlyList<string> MapPackagesApplied => Read(_ => (IReadOnlyList<string>)[.. _mapApplied]);

    private readonly List<string> _mapApplied = [];

    /// <summary>Asks whether newer map data exists (as the car does at every start with <see cref="SimulatedVehicleOptions.PollMapsAtStart"/>);
    /// nothing is sent without a map region or when the car's switches stop the service.</summary>
    public Task PollForMapUpdateAsync()
    {
        Change(PollForMapUpdate);
        return Task.CompletedTask;
    }

    private int CurrentMapVersion() => _mapVersion < 0 ? _options.MapVersion : _mapVersion;

    /// <summary>Under the lock.</summary>
    private void PollForMapUpdate()
    {
        if (_options.MapRegion is not { Length: > 0 } region || _mapDownloading || !MaySend(ServiceIds.MapUpdate))
        {
            return;
        }
        _mapRequest = Guid.NewGuid().ToString("N");
        var version = CurrentMapVersion();
        var poll = new MapPoll { RequestId = _mapRequest, Region = region, Version = (uint)version };
        _mapTokenRequests = [];
        if (_mapTokenKey is { } key && _mapTokenChallenge is { } challenge)
        {
            var wanted = version == 0 ? 1 : Math.Clamp(_mapLatestKnown - version, 1, 8);
            for (var i = 0; i < wanted; i++)
            {
                _mapTokenRequests.Add(PrivateTokens.Request(key, challenge));
            }
            poll.BlindedTokens.AddRange(_mapTokenRequests.Select(r => Google.Protobuf.ByteString.CopyFrom(r.Blinded)));
            poll.TokenKeyId = Google.Protobuf.ByteString.CopyFrom(PrivateTokens.KeyId(key));
        }
        Enqueue(new Envelope { MapPoll = poll }, periodic: false);
    }

    /// <summary>Acts on the answer to the latest poll. Under the lock.</summary>
    private void OnMapOffer(MapOffer offer)
    {
        if (offer.RequestId != _mapRequest || _mapDownloading)
        {
            return;
        }
        LastMapOffer = offer.Clone();
        if (offer.Unavailable.Length > 0)
        {
            return;
        }
        var askedWithTokens = _mapTokenRequests.Count > 0;
        // A key the car did not ask with: the first one it learns, or the issuer's key after a rotation.
        var newKey = offer.TokenKey.Length > 0 && (_mapTokenKey is null || !offer.TokenKey.Span.SequenceEqual(_mapTokenKey));
        if (offer.TokenKey.Length > 0)
        {
            _mapTokenKey = offer.TokenKey.ToByteArray();
            _mapTokenChallenge = offer.TokenChallenge.ToByteArray();
        }
        _mapLatestKnown = (int)offer.LatestVersion;
        if (offer.Packages.Count == 0)
        {
            if ((!askedWithTokens || newKey) && _mapLatestKnown != CurrentMapVersion() && _mapTokenKey is not null)
            {
                PollForMapUpdate(); // now that the car knows the issuer's (current) key
            }
            return;
        }
        var tokens = new List<byte[]?>();
        for (var i = 0; i < offer.Packages.Count; i++)
        {
            tokens.Add(i < _mapTokenRequests.Count && i < offer.BlindSignatures.Count
                ? PrivateTokens.Finalize(_mapTokenKey, _mapTokenRequests[i], offer.BlindSignatures[i].Span)
                : null);
        }
        _mapTokenRequests = [];
        _mapDownloading = true;
        _ = FetchMapPackagesAsync(offer.Region, CurrentMapVersion(), [.. offer.Packages], tokens);
    }

    private async Task FetchMapPackagesAsync(string region, int from, IReadOnlyList<MapPackage> packages, IReadOnlyList<byte[]?> tokens)
    {
        var version = from;
        string? failure = null;
        var applied = new List<string>();
        for (var i = 0; i < packages.Count && failure is null; i++)
        {
            var package = packages[i];
            if (tokens[i] is not { } token)
            {
                failure = "token not signed";
                break;
            }
            try
            {
                failure = await FetchMapPackageAsync(package, token);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                failure = $"download failed: {e.GetType().Name}";
            }
            if (failure is null)
            {
                version = (int)package.ToVersion; // applied: the navigation map is now at this version
                applied.Add($"{region}/{package.FromVersion}->{package.ToVersion}");
            }
        }
        Change(() =>
        {
            _mapDownloading = false;
            _mapVersion = version;
            _mapApplied.AddRange(applied);
            Enqueue(new Envelope
            {
                MapUpdateResult = new MapUpdateResult { Region = region, FromVersion = (uint)from, ToVersion = (uint)version, Success = failure is null, Detail = failure ?? "" },
            }, periodic: false);
            Log(failure is null ? $"map {region} updated {from} -> {version}" : $"map {region} update failed: {failure}");
            if (failure is null && version < _mapLatestKnown)
            {
                PollForMapUpdate(); // a longer chain than one offer carries
            }
        });
    }

    /// <returns>Why the package cannot be applied, or null.</returns>
    private async Task<string?> FetchMapPackageAsync(MapPackage package, byte[] token)
    {
        var http = _options.Http ?? HttpHandlers.Shared;
        // The map distribution gets the package's path and the token: no VIN, no secret, no account.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.MapDistribution ?? _options.Server, package.Path));
        request.Headers.Authorization = new AuthenticationHeaderValue(PrivateTokens.Scheme, $"token=\"{PrivateTokens.Encode(token)}\"");
        using var response = await http.SendAsync(request, CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            return $"download failed: {(int)response.StatusCode}";
        }
        await using var body = await response.Content.ReadAsStreamAsync();
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
        return sha256 != package.Sha256 ? "hash mismatch" : null;
    }
}
