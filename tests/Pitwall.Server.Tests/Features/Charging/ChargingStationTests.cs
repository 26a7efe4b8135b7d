using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>
/// The stations of a map area for a remote start (<c>GET /api/v1/vehicles/{vin}/charging-stations</c>): the Locations every operator
/// pushed, found by the coordinates inside the stored OCPI object (each engine's JSON functions), nearest to the area's centre first,
/// each EVSE with the status its operator pushed last; unpublished locations and removed EVSEs stay hidden.
/// </summary>
public abstract class ChargingStationTests(PitwallServer server)
{
    private static readonly IReadOnlyList<Station> All = Stations.RhineNeckar();

    private static string Box(double south, double west, double north, double east) =>
        string.Create(CultureInfo.InvariantCulture, $"{west},{south},{east},{north}");

    private static double Rounded(double degrees) => Math.Round(degrees, 6);

    [Fact]
    public async Task The_stations_of_a_map_area_come_from_every_operator_nearest_to_its_centre_first_with_each_evses_last_status()
    {
        var (driver, _) = await server.DriverWithCardAsync();
        await using var first = await server.RegisteredCpoAsync("MPA");
        await using var second = await server.RegisteredCpoAsync("MPB");
        var now = server.Clock.GetUtcNow();
        foreach (var station in All.Take(60))
        {
            Assert.Equal(HttpStatusCode.Created, (await first.Client.PutLocationAsync(OcpiObjects.Location("DE", "MPA", station, now), CancellationToken.None)).Http);
        }
        var hidden = OcpiObjects.Location("DE", "MPB", All[60], now);
        hidden["publish"] = false;
        await second.Client.PutLocationAsync(hidden, CancellationToken.None);
        await second.Client.PutLocationAsync(OcpiObjects.Location("DE", "MPB", All[61], now), CancellationToken.None);
        var busy = All[0];
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1000, (await first.Client.PatchEvseAsync(busy.Id, OcpiObjects.EvseUid(busy, 1),
            new JsonObject { ["status"] = "CHARGING", ["last_updated"] = OcpiObjects.Time(server.Clock.GetUtcNow()) }, CancellationToken.None)).StatusCode);

        // An area of about 11 by 7 km around the first station: what lies in it, nearest to the centre first.
        var (south, west, north, east) = (busy.Latitude - 0.05, busy.Longitude - 0.05, busy.Latitude + 0.05, busy.Longitude + 0.05);
        var response = await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-stations?bbox={Box(south, west, north, east)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = (await response.JsonAsync()).EnumerateArray().ToList();
        var expected = All.Take(62).Where(s => s != All[60])
            .Where(s => Rounded(s.Latitude) is var la && la >= south && la <= north && Rounded(s.Longitude) is var lo && lo >= west && lo <= east)
            .ToList();
        Assert.True(expected.Count >= 2, $"{expected.Count} stations in the area");
        Assert.Equal(expected.Select(s => s.Id).Order(), listed.Select(s => s.GetProperty("locationId").GetString()).Order());
        var squeeze = Math.Pow(Math.Cos(busy.Latitude * Math.PI / 180), 2);
        var distances = listed.Select(s => Math.Pow(s.GetProperty("latitude").GetDouble() - busy.Latitude, 2)
                                           + Math.Pow(s.GetProperty("longitude").GetDouble() - busy.Longitude, 2) * squeeze).ToList();
        Assert.Equal(distances.Order(), distances);
        Assert.DoesNotContain(listed, s => s.GetProperty("locationId").GetString() == All[60].Id);

        var nearest = listed[0];
        Assert.Equal(busy.Id, nearest.GetProperty("locationId").GetString());
        Assert.Equal(busy.Operator, nearest.GetProperty("operator").GetString());
        Assert.Equal(busy.City, nearest.GetProperty("city").GetString());
        var evses = nearest.GetProperty("evses").EnumerateArray().ToList();
        Assert.Equal(busy.Points.Count, evses.Count);
        Assert.Equal("CHARGING", evses[0].GetProperty("status").GetString());
        Assert.False(evses[0].GetProperty("startable").GetBoolean());
        Assert.Equal($"DE*MPA*E{busy.Id}*1", evses[0].GetProperty("evseId").GetString());
        var connector = evses[0].GetProperty("connectors")[0];
        Assert.Equal(Math.Round(busy.Points[0].PowerKw, 1), connector.GetProperty("maxPowerKw").GetDouble(), 1);

        // A removed EVSE leaves the list; at most `limit` stations come back, the nearest.
        if (busy.Points.Count > 1)
        {
            server.Clock.Advance(TimeSpan.FromMinutes(1));
            await first.Client.PatchEvseAsync(busy.Id, OcpiObjects.EvseUid(busy, 2),
                new JsonObject { ["status"] = "REMOVED", ["last_updated"] = OcpiObjects.Time(server.Clock.GetUtcNow()) }, CancellationToken.None);
        }
        var one = (await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-stations?bbox={Box(south, west, north, east)}&limit=1")).JsonAsync())
            .EnumerateArray().ToList();
        Assert.Equal(busy.Id, Assert.Single(one).GetProperty("locationId").GetString());
        Assert.Equal(busy.Points.Count > 1 ? busy.Points.Count - 1 : 1, one[0].GetProperty("evses").GetArrayLength());

        // Without an area: the middle of the published stations.
        var around = (await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-stations")).JsonAsync()).EnumerateArray().ToList();
        Assert.NotEmpty(around);
        Assert.DoesNotContain(around, s => s.GetProperty("locationId").GetString() == All[60].Id);
    }

    [Fact]
    public async Task A_malformed_or_too_wide_area_is_a_validation_problem_and_someone_elses_car_reads_as_404()
    {
        var (driver, _) = await server.DriverWithCardAsync();
        foreach (var bbox in new[] { "8.6,49.3,8.7", "8.7,49.3,8.6,49.4", "abc,49.3,8.7,49.4", "7.0,49.0,8.5,49.9", "8.6,95,8.7,96", "NaN,49.3,8.7,49.4" })
        {
            await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-stations?bbox={bbox}"))
                .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        }
        await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-stations?limit=0")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var (stranger, _) = await server.DriverWithCardAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-stations")).StatusCode);
        var withoutPackage = await server.OwnedVehicleAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await withoutPackage.Client.GetAsync($"/api/v1/vehicles/{withoutPackage.Vin}/charging-stations")).StatusCode);
    }

    [Fact]
    public async Task A_location_whose_coordinates_are_not_geolocation_strings_is_refused_with_2001_and_not_stored()
    {
        await using var cpo = await server.RegisteredCpoAsync("MPC");
        foreach (var (lat, lon) in new[] { ("49.4", "8.69"), ("abc", "8.690000"), ("95.000000", "8.690000") })
        {
            var location = OcpiObjects.Location("DE", "MPC", All[70], server.Clock.GetUtcNow());
            location["coordinates"] = new JsonObject { ["latitude"] = lat, ["longitude"] = lon };
            var answer = await cpo.Client.PutLocationAsync(location, CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, answer.Http); // OCPI: a refused object is HTTP 200 with the OCPI status 2001
            Assert.Equal(2001, answer.StatusCode);
        }
        Assert.Null(await server.Get<PartnerObjectStore>().GetAsync(PartnerTable.Locations, cpo.PartnerId, "DE", "MPC", All[70].Id, CancellationToken.None));
    }
}

public sealed class ChargingStationsOnSqlite(SqliteServer server) : ChargingStationTests(server), IClassFixture<SqliteServer>;

public sealed class ChargingStationsOnPostgres(PostgresServer server) : ChargingStationTests(server), IClassFixture<PostgresServer>;
