using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Trips;

/// <summary>Trip Control (REQUIREMENTS C3) end to end with the simulated car, on each engine.</summary>
public abstract class TripsTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned, Powertrain powertrain = Powertrain.Electric, PrivacySettings? privacy = null)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 31, Powertrain = powertrain, Privacy = privacy,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    private static async Task<JsonElement> TripsAsync(OwnedVehicle owned)
    {
        var response = await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/trips");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private Task<int> StoredRowsAsync(string vin) =>
        server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM vehicle_trips WHERE vin = @vin", new { vin }),
            CancellationToken.None);

    /// <summary>The API's figures are what the car drove, within the rounding of the car's whole seconds.</summary>
    private static void AssertMatches(DrivenTrip driven, JsonElement figures)
    {
        Assert.Equal(JsonValueKind.Null, figures.GetProperty("unavailable").ValueKind);
        Assert.Equal(driven.StartedAt.ToUnixTimeMilliseconds(), figures.GetProperty("startedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(Math.Round(driven.Duration.TotalSeconds), figures.GetProperty("durationSeconds").GetInt64());
        Assert.Equal(driven.DistanceMetres, figures.GetProperty("distanceMetres").GetDouble(), 6);
        Assert.Equal(driven.AverageSpeedMetresPerSecond, figures.GetProperty("averageSpeedMetresPerSecond").GetDouble(), 6);
        Assert.Equal(Math.Round(driven.DistanceMetres / 1000, 1), figures.GetProperty("distanceKilometres").GetDouble(), 6);
        Assert.Equal(Math.Round(driven.AverageSpeedMetresPerSecond * 3.6, 1), figures.GetProperty("averageSpeedKilometresPerHour").GetDouble(), 6);
        var seconds = (long)Math.Round(driven.Duration.TotalSeconds);
        Assert.Equal($"{seconds / 3600:00}:{seconds % 3600 / 60:00}", figures.GetProperty("duration").GetString());
        AssertConsumption(driven.ElectricKwhPer100Km, figures.GetProperty("averageElectricConsumptionKwhPer100Km"));
        AssertConsumption(driven.FuelLitresPer100Km, figures.GetProperty("averageFuelConsumptionLitresPer100Km"));
    }

    private static void AssertConsumption(double? expected, JsonElement actual)
    {
        if (expected is { } value)
        {
            Assert.Equal(value, actual.GetDouble(), 6);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, actual.ValueKind);
        }
    }

    [Theory]
    [InlineData(Powertrain.Electric)]
    [InlineData(Powertrain.Combustion)]
    public async Task Trips_match_what_the_simulator_drove_each_stop_overwrites_the_short_term_grows_the_long_term_and_a_reset_zeroes_it(
        Powertrain powertrain)
    {
        var owned = await server.OwnedVehicleAsync();
        await using var events = await EventStream.OpenAsync(owned.Client);
        await using var car = await ConnectAsync(owned, powertrain);
        var before = await TripsAsync(owned);
        Assert.Equal("not_reported", before.GetProperty("shortTerm").GetProperty("unavailable").GetString());
        Assert.Equal("not_reported", before.GetProperty("longTerm").GetProperty("unavailable").GetString());

        await car.DriveAsync(TimeSpan.FromMinutes(7));
        await car.StopEngineAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await events.NextAsync("vehicle.trips", e => e.GetProperty("vin").GetString() == owned.Vin && e.GetProperty("cause").GetString() == "engine_stop");
        var first = car.LastTrip!;
        Assert.True(first.DistanceMetres > 1000, $"drove {first.DistanceMetres} m");
        var trips = await TripsAsync(owned);
        AssertMatches(first, trips.GetProperty("shortTerm"));
        AssertMatches(car.TripsSinceReset, trips.GetProperty("longTerm"));
        Assert.Equal(first.DistanceMetres, trips.GetProperty("longTerm").GetProperty("distanceMetres").GetDouble(), 6);

        // A second drive: the short term is that drive alone (overwritten, no history), the long term both.
        await car.DriveAsync(TimeSpan.FromMinutes(4));
        await car.StopEngineAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var second = car.LastTrip!;
        trips = await TripsAsync(owned);
        AssertMatches(second, trips.GetProperty("shortTerm"));
        AssertMatches(car.TripsSinceReset, trips.GetProperty("longTerm"));
        Assert.Equal(first.DistanceMetres + second.DistanceMetres, trips.GetProperty("longTerm").GetProperty("distanceMetres").GetDouble(), 3);
        Assert.Equal(660, trips.GetProperty("longTerm").GetProperty("durationSeconds").GetInt64());
        Assert.Equal(2, await StoredRowsAsync(owned.Vin));

        // The driver resets the long-term memory: it reads zero; the last drive stays.
        await car.ResetTripMemoryAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await events.NextAsync("vehicle.trips", e => e.GetProperty("vin").GetString() == owned.Vin && e.GetProperty("cause").GetString() == "reset");
        trips = await TripsAsync(owned);
        AssertMatches(second, trips.GetProperty("shortTerm"));
        var longTerm = trips.GetProperty("longTerm");
        AssertMatches(car.TripsSinceReset, longTerm);
        Assert.Equal((0L, 0.0, 0.0), (longTerm.GetProperty("durationSeconds").GetInt64(), longTerm.GetProperty("distanceMetres").GetDouble(),
            longTerm.GetProperty("averageSpeedMetresPerSecond").GetDouble()));
        Assert.Equal(JsonValueKind.Null, longTerm.GetProperty("averageElectricConsumptionKwhPer100Km").ValueKind);
        Assert.Equal(2, await StoredRowsAsync(owned.Vin));

        // After the reset the long term counts the next drive only.
        await car.DriveAsync(TimeSpan.FromMinutes(2));
        await car.StopEngineAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        trips = await TripsAsync(owned);
        AssertMatches(car.LastTrip!, trips.GetProperty("shortTerm"));
        AssertMatches(car.TripsSinceReset, trips.GetProperty("longTerm"));
        Assert.Equal(120, trips.GetProperty("longTerm").GetProperty("durationSeconds").GetInt64());
        Assert.Equal(car.LastTrip!.DistanceMetres, trips.GetProperty("longTerm").GetProperty("distanceMetres").GetDouble(), 6);
    }

    [Fact]
    public async Task In_private_mode_the_car_sends_no_trips_the_server_discards_any_and_the_api_says_why()
    {
        var owned = await server.OwnedVehicleAsync();
        await using (var car = await ConnectAsync(owned, privacy: new PrivacySettings { PrivateMode = true }))
        {
            await car.DriveAsync(TimeSpan.FromMinutes(3));
            await car.StopEngineAsync();
            await car.ResetTripMemoryAsync();
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
            Assert.Equal(0, car.TripStatisticsQueued);
            Assert.NotNull(car.LastTrip); // the car still keeps its own memory
        }
        // A car that sends them anyway in private mode: acked, never stored.
        await using (var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: AboveTheSimulator(),
                         privacy: new PrivacySettings { PrivateMode = true }))
        {
            await raw.WaitForAckAsync(await SendTripAsync(raw, server.Clock.GetUtcNow(), 5000));
        }
        Assert.Equal(0, await StoredRowsAsync(owned.Vin));
        var trips = await TripsAsync(owned);
        Assert.True(trips.GetProperty("privateMode").GetBoolean());
        Assert.Equal("privacy_mode", trips.GetProperty("shortTerm").GetProperty("unavailable").GetString());
        Assert.Equal("privacy_mode", trips.GetProperty("longTerm").GetProperty("unavailable").GetString());
        Assert.Equal(JsonValueKind.Null, trips.GetProperty("longTerm").GetProperty("distanceMetres").ValueKind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_Trip_Control_or_the_services_without_location_switched_off_nothing_is_stored_and_the_api_says_why(bool wholeGroup)
    {
        var owned = await server.OwnedVehicleAsync();
        var off = wholeGroup ? new PrivacySettings { NonLocationServicesDisabled = true } : new PrivacySettings { DisabledServices = { ServiceIds.TripControl } };
        await using (var car = await ConnectAsync(owned, privacy: off))
        {
            await car.DriveAsync(TimeSpan.FromMinutes(3));
            await car.StopEngineAsync();
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
            Assert.Equal(0, car.TripStatisticsQueued);
        }
        await using (var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: AboveTheSimulator(),
                         privacy: off))
        {
            await raw.WaitForAckAsync(await SendTripAsync(raw, server.Clock.GetUtcNow(), 5000));
        }
        Assert.Equal(0, await StoredRowsAsync(owned.Vin));
        var trips = await TripsAsync(owned);
        Assert.False(trips.GetProperty("privateMode").GetBoolean());
        Assert.Equal("service_disabled", trips.GetProperty("shortTerm").GetProperty("unavailable").GetString());
        Assert.Equal("service_disabled", trips.GetProperty("longTerm").GetProperty("unavailable").GetString());

        // Switched on again, the next engine stop is stored.
        await using var again = await ConnectAsync(owned);
        await again.DriveAsync(TimeSpan.FromMinutes(1));
        await again.StopEngineAsync();
        await again.WaitUntilAllAckedAsync().WaitAsync(Patience);
        AssertMatches(again.LastTrip!, (await TripsAsync(owned)).GetProperty("shortTerm"));
    }

    [Fact]
    public async Task An_older_message_arriving_late_never_overwrites_newer_figures_and_nonsense_is_not_stored()
    {
        var owned = await server.OwnedVehicleAsync();
        var now = server.Clock.GetUtcNow();
        await using var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret);
        await raw.WaitForAckAsync(await SendTripAsync(raw, now, 5000));
        await raw.WaitForAckAsync(await SendTripAsync(raw, now.AddMinutes(-30), 1234)); // recorded earlier, delivered later
        var trips = await TripsAsync(owned);
        Assert.Equal(5000, trips.GetProperty("shortTerm").GetProperty("distanceMetres").GetDouble());
        Assert.Equal(now, trips.GetProperty("shortTerm").GetProperty("recordedAt").GetDateTimeOffset());
        Assert.Equal(5000, trips.GetProperty("longTerm").GetProperty("distanceMetres").GetDouble());

        // A car's broken figures do not fail the batch; they are left out, and the car stays connected.
        var seq = raw.NextSeq();
        await raw.SendAsync(new Envelope
        {
            Seq = seq,
            TripStatistics = new TripStatistics
            {
                Cause = TripStatistics.Types.Cause.EngineStop, RecordedAtMs = now.AddMinutes(1).ToUnixTimeMilliseconds(),
                ShortTerm = new TripFigures { DurationS = 60, DistanceM = double.NaN, AverageSpeedMps = 1 },
                LongTerm = new TripFigures { DurationS = 60, DistanceM = -5, AverageSpeedMps = 1 },
            },
        });
        await raw.WaitForAckAsync(seq);
        Assert.Equal(5000, (await TripsAsync(owned)).GetProperty("shortTerm").GetProperty("distanceMetres").GetDouble());

        await raw.WaitForAckAsync(await SendTripAsync(raw, now.AddMinutes(2), 777));
        trips = await TripsAsync(owned);
        Assert.Equal(777, trips.GetProperty("shortTerm").GetProperty("distanceMetres").GetDouble());
        Assert.Equal("00:10", trips.GetProperty("shortTerm").GetProperty("duration").GetString());
        Assert.Equal(7.2, trips.GetProperty("shortTerm").GetProperty("averageFuelConsumptionLitresPer100Km").GetDouble());
        Assert.Equal(4.7, trips.GetProperty("shortTerm").GetProperty("averageSpeedKilometresPerHour").GetDouble());
    }

    [Fact]
    public async Task Another_accounts_car_reads_as_not_found_and_a_car_whose_packages_lack_Trip_Control_is_not_entitled()
    {
        var owned = await server.OwnedVehicleAsync();
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await stranger.GetAsync($"/api/v1/vehicles/{owned.Vin}/trips")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await owned.Client.GetAsync("/api/v1/vehicles/WP0ZZZ99ZTS999999/trips")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        // A 2019 Taycan fits neither remote-services package (A5): only Connect Care comes with it.
        var uncovered = await server.OwnedVehicleAsync("Taycan", 2019);
        await (await uncovered.Client.GetAsync($"/api/v1/vehicles/{uncovered.Vin}/trips")).AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");
    }

    [Fact]
    public async Task Trips_are_in_the_users_data_export_and_go_when_the_car_is_unpaired_or_the_account_is_erased()
    {
        var owned = await server.OwnedVehicleAsync();
        await using (var car = await ConnectAsync(owned))
        {
            await car.DriveAsync(TimeSpan.FromMinutes(2));
            await car.StopEngineAsync();
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        Assert.Equal(2, await StoredRowsAsync(owned.Vin));

        var export = await owned.Client.GetAsync("/api/v1/me/data-export");
        using (var archive = new ZipArchive(await export.Content.ReadAsStreamAsync()))
        {
            using var reader = new StreamReader(archive.GetEntry("vehicle_trips.json")!.Open());
            var rows = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.GetProperty("tables").GetProperty("vehicle_trips");
            Assert.Equal(2, rows.GetArrayLength());
            Assert.All(rows.EnumerateArray(), r => Assert.Equal(owned.Vin, r.GetProperty("vin").GetString()));
        }

        // Erasing the account unpairs its car: a next owner starts without the previous owner's drives.
        var erased = await owned.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me")
        {
            Content = JsonContent.Create(new { currentPassword = owned.Owner.Password }),
        });
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        Assert.Equal(0, await StoredRowsAsync(owned.Vin));

        // Unpairing alone does the same.
        var other = await server.OwnedVehicleAsync();
        await using (var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, other.Vin, other.Secret))
        {
            await raw.WaitForAckAsync(await SendTripAsync(raw, server.Clock.GetUtcNow(), 4200));
        }
        Assert.Equal(2, await StoredRowsAsync(other.Vin));
        await server.Get<PairingService>().UnpairAsync(other.Vin, CancellationToken.None);
        Assert.Equal(0, await StoredRowsAsync(other.Vin));
    }

    [Fact]
    public async Task Each_trip_message_and_each_read_counts_in_the_anonymous_usage_statistics()
    {
        var usage = server.Get<Pitwall.Server.Features.UsageStatistics.UsageStatistics>();
        await usage.FlushAsync(CancellationToken.None);
        var today = DateOnly.FromDateTime(server.Clock.GetUtcNow().UtcDateTime);
        async Task<(long Car, long App)> CountsAsync()
        {
            await usage.FlushAsync(CancellationToken.None);
            var rows = (await usage.ReportAsync(today, today, CancellationToken.None)).Where(r => r.Service == ServiceIds.TripControl).ToList();
            return (rows.Where(r => r.Channel == "car").Sum(r => r.Count), rows.Where(r => r.Channel == "app").Sum(r => r.Count));
        }
        var before = await CountsAsync();

        var owned = await server.OwnedVehicleAsync();
        await using (var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret))
        {
            await raw.WaitForAckAsync(await SendTripAsync(raw, server.Clock.GetUtcNow(), 1000));
        }
        await TripsAsync(owned);
        var after = await CountsAsync();
        Assert.True(after.Car >= before.Car + 1 && after.App >= before.App + 1, $"before {before}, after {after}");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoint_with_typed_figures()
    {
        var document = await (await server.Client.GetAsync("/openapi/v1.json")).JsonAsync();
        var get = document.GetProperty("paths").GetProperty("/api/v1/vehicles/{vin}/trips").GetProperty("get");
        Assert.Equal("Trip Control", get.GetProperty("tags")[0].GetString());
        Assert.True(get.GetProperty("responses").TryGetProperty("200", out _));
        var figures = document.GetProperty("components").GetProperty("schemas").GetProperty("TripFiguresResponse").GetProperty("properties");
        foreach (var number in new[] { "distanceMetres", "averageSpeedMetresPerSecond", "averageElectricConsumptionKwhPer100Km", "averageFuelConsumptionLitresPer100Km" })
        {
            Assert.Contains("number", figures.GetProperty(number).GetProperty("type").ToString());
        }
        Assert.Contains("integer", figures.GetProperty("durationSeconds").GetProperty("type").ToString());
    }

    /// <summary>A first seq above any the simulator numbered for a car in this process (it counts from its start, in ms × 1000).</summary>
    private static ulong AboveTheSimulator() => (ulong)TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <summary>Sends an engine-stop TripStatistics of a 10-minute drive of <paramref name="distance"/> m (a combustion car at 7.2 l/100 km).</summary>
    private static async Task<ulong> SendTripAsync(TestCar car, DateTimeOffset recordedAt, double distance)
    {
        var seq = car.NextSeq();
        TripFigures Figures() => new()
        {
            StartedAtMs = recordedAt.AddMinutes(-10).ToUnixTimeMilliseconds(), DurationS = 600, DistanceM = distance, AverageSpeedMps = distance / 600,
            AverageFuelConsumptionLPer100Km = 7.2,
        };
        await car.SendAsync(new Envelope
        {
            Seq = seq,
            TripStatistics = new TripStatistics
            {
                Cause = TripStatistics.Types.Cause.EngineStop, RecordedAtMs = recordedAt.ToUnixTimeMilliseconds(), ShortTerm = Figures(), LongTerm = Figures(),
            },
        });
        return seq;
    }
}

public sealed class TripsOnSqlite(SqliteServer server) : TripsTests(server), IClassFixture<SqliteServer>;

public sealed class TripsOnPostgres(PostgresServer server) : TripsTests(server), IClassFixture<PostgresServer>;
