using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.Maps;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.MapUpdates;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.MapUpdates;

/// <summary>
/// Online map update (F5, H3) with the map data the real osmium-tool and tilemaker built: a simulated car asks at its start, gets
/// only the increment of its own region, fetches it from the map distribution with a blind-signed token and reports it; Pitwall
/// documents it; the distribution's log holds nothing that points to the car.
/// </summary>
public abstract class MapUpdateTests(PitwallServer server, string distributionLog)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<(OwnedVehicle Owned, SimulatedVehicle Car)> CarAsync(string region, int version, PrivacySettings? privacy = null)
    {
        await MapData.BuildAsync(server);
        var owned = await server.OwnedVehicleAsync();
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 5, Privacy = privacy,
            MapRegion = region, MapVersion = version, PollMapsAtStart = true,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return (owned, car);
    }

    private static async Task UntilAsync(Func<Task<bool>> done, Func<string> state)
    {
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!await done())
        {
            Assert.True(watch.Elapsed < Patience, state());
            await timer.WaitForNextTickAsync();
        }
    }

    [Fact]
    public async Task A_car_on_version_1_gets_only_the_increment_to_version_2_of_its_own_region_and_Pitwall_documents_it()
    {
        var (owned, car) = await CarAsync("monaco", 1);
        await using var _ = car;

        await car.StartEngineAsync(); // F5: at every start
        await UntilAsync(() => Task.FromResult(car.MapVersion == 2), () => $"map version {car.MapVersion}, offer {car.LastMapOffer}");

        Assert.Equal(["monaco/1->2"], car.MapPackagesApplied);
        var package = Assert.Single(car.LastMapOffer!.Packages);
        Assert.Equal(("increment", 1u, 2u, "/map-distribution/v1/monaco/2/from-1.osc.gz"), (package.Kind, package.FromVersion, package.ToVersion, package.Path));
        Assert.Equal(2u, car.LastMapOffer.LatestVersion);
        var full = (await server.Get<MapCatalogue>().PackagesAsync("monaco", CancellationToken.None)).Single(p => p.Kind == "full" && p.ToVersion == 2);
        Assert.True((long)package.Size * 20 < full.Size, $"the increment ({package.Size} bytes) should be far smaller than the region ({full.Size} bytes)");
        // Heidelberg has an increment 1 -> 2 too: the Monaco car was offered none of it.
        Assert.Contains(await server.Get<MapCatalogue>().PackagesAsync("heidelberg", CancellationToken.None), p => p.Kind == "increment" && p.FromVersion == 1);
        Assert.All(car.LastMapOffer.Packages, p => Assert.StartsWith("/map-distribution/v1/monaco/", p.Path, StringComparison.Ordinal));

        JsonElement maps = default;
        await UntilAsync(async () =>
        {
            maps = await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/maps")).JsonAsync();
            return maps.GetProperty("deliveries").GetArrayLength() == 1 && maps.GetProperty("deliveries")[0].GetProperty("result").GetString() == "installed";
        }, () => maps.ToString());
        var region = Assert.Single(maps.GetProperty("regions").EnumerateArray());
        Assert.Equal(("monaco", 2, 2), (region.GetProperty("region").GetString(), region.GetProperty("version").GetInt32(), region.GetProperty("latestVersion").GetInt32()));
        var delivery = maps.GetProperty("deliveries")[0];
        Assert.Equal(("monaco", 1, 2, 1, (long)package.Size), (delivery.GetProperty("region").GetString(), delivery.GetProperty("fromVersion").GetInt32(),
            delivery.GetProperty("toVersion").GetInt32(), delivery.GetProperty("packages").GetInt32(), delivery.GetProperty("bytes").GetInt64()));

        // Up to date: the next start asks, and nothing more comes.
        await car.StopEngineAsync();
        await car.StartEngineAsync();
        await UntilAsync(() => Task.FromResult(car.LastMapOffer is { Packages.Count: 0, LatestVersion: 2 }), () => $"{car.LastMapOffer}");
        Assert.Equal(["monaco/1->2"], car.MapPackagesApplied);
    }

    [Fact]
    public async Task A_car_without_map_data_gets_its_whole_region_and_nothing_of_the_other()
    {
        var (_, car) = await CarAsync("heidelberg", 0);
        await using var _ = car;

        await car.PollForMapUpdateAsync();
        await UntilAsync(() => Task.FromResult(car.MapVersion == 2), () => $"map version {car.MapVersion}, offer {car.LastMapOffer}");

        var package = Assert.Single(car.LastMapOffer!.Packages);
        Assert.Equal(("full", 0u, 2u, "/map-distribution/v1/heidelberg/2/region.osm.pbf"), (package.Kind, package.FromVersion, package.ToVersion, package.Path));
        Assert.Equal(["heidelberg/0->2"], car.MapPackagesApplied);
    }

    [Fact]
    public async Task The_map_distribution_log_holds_no_vin_account_address_or_token_and_a_token_fetches_once()
    {
        var (owned, car) = await CarAsync("monaco", 1);
        await using var _ = car;
        await car.PollForMapUpdateAsync();
        await UntilAsync(() => Task.FromResult(car.MapVersion == 2), () => $"map version {car.MapVersion}");

        // A token of the issuer, used twice: the second time is refused.
        var issuer = server.Get<MapTokenIssuer>();
        var key = issuer.Current;
        var request = PrivateTokens.Request(key.TokenKey, issuer.Challenge);
        var token = PrivateTokens.Finalize(key.TokenKey, request, MapTokenIssuer.Sign(key, [request.Blinded])[0])!;
        async Task<HttpResponseMessage> FetchAsync(string? authorization)
        {
            using var fetch = new HttpRequestMessage(HttpMethod.Get, "/map-distribution/v1/monaco/2/from-1.osc.gz");
            if (authorization is not null)
            {
                fetch.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
            }
            return await server.Client.SendAsync(fetch);
        }
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync($"PrivateToken token=\"{PrivateTokens.Encode(token)}\"")).StatusCode);
        var replayed = await FetchAsync($"PrivateToken token=\"{PrivateTokens.Encode(token)}\"");
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal("map_token_spent", (await replayed.JsonAsync()).GetProperty("code").GetString());
        var forged = token.ToArray();
        forged[^1] ^= 1;
        Assert.Equal("map_token_invalid", (await (await FetchAsync($"PrivateToken token=\"{PrivateTokens.Encode(forged)}\"")).JsonAsync()).GetProperty("code").GetString());
        var missing = await FetchAsync(null);
        Assert.Equal("map_token_missing", (await missing.JsonAsync()).GetProperty("code").GetString());
        Assert.StartsWith("PrivateToken challenge=", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var log = await File.ReadAllTextAsync(distributionLog);
        Assert.Contains("package=monaco/2/from-1.osc.gz token=valid status=200", log, StringComparison.Ordinal);
        Assert.Contains("token=spent status=401", log, StringComparison.Ordinal);
        string[] identifying =
        [
            owned.Vin, owned.AccountId, owned.Owner.Email, Convert.ToBase64String(owned.Secret), Convert.ToHexStringLower(owned.Secret),
            "127.0.0.1", "::1", PrivateTokens.Encode(token), Convert.ToHexStringLower(token.AsSpan(2, PrivateTokens.NonceLength)), "Pitwall-Sim", "User-Agent",
        ];
        foreach (var datum in identifying)
        {
            Assert.DoesNotContain(datum, log, StringComparison.OrdinalIgnoreCase);
        }
        Assert.All(log.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(
            @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ package=[a-z]+/\d+/[a-z0-9.-]+ token=(valid|invalid|spent|missing|retired) status=\d{3} bytes=\d+$", line));
    }

    [Fact]
    public async Task With_map_update_switched_off_the_car_is_told_so_and_nothing_is_stored()
    {
        await MapData.BuildAsync(server);
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret,
            privacy: new PrivacySettings { DisabledServices = { ServiceIds.MapUpdate } });
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, MapPoll = new MapPoll { RequestId = "off", Region = "monaco", Version = 1 } });
        await car.WaitForAckAsync(seq);

        var offer = (await car.ReceiveAsync(Envelope.PayloadOneofCase.MapOffer)).MapOffer;
        Assert.Equal(("off", "service_disabled", 0), (offer.RequestId, offer.Unavailable, offer.Packages.Count));
        var maps = await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/maps")).JsonAsync();
        Assert.Equal(0, maps.GetProperty("regions").GetArrayLength());
    }
}

public sealed class MapUpdatesOnSqlite(MapSqliteServer server) : MapUpdateTests(server, server.DistributionLog), IClassFixture<MapSqliteServer>;

public sealed class MapUpdatesOnPostgres(MapPostgresServer server) : MapUpdateTests(server, server.DistributionLog), IClassFixture<MapPostgresServer>;
