using System.Net;
using System.Net.Http.Json;
using System.Text;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Vehicles;

/// <summary>Registering vehicles through the admin API, one by one and from CSV, on each engine.</summary>
public abstract class AdminVehicleTests(PitwallServer server)
{
    private async Task<HttpClient> AdminAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Ada Admin", "admin", "an admin password", CancellationToken.None);
        return server.ClientWith((await server.SignInAsync(email, "an admin password")).AccessToken);
    }

    [Fact]
    public async Task Admins_register_a_vehicle_once_and_get_its_secret()
    {
        var admin = await AdminAsync();
        var vin = "WP0ZZZ99ZTS" + Random.Shared.Next(100_000, 999_999);
        var created = await admin.PostAsJsonAsync("/api/v1/admin/vehicles", new { vin, model = "911 Carrera", modelYear = 2018, colour = "Guards Red", registrationNumber = "S-PW 1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.JsonAsync()).GetProperty("secret").GetString()!;
        Assert.Equal(32, Convert.FromBase64String(secret).Length);
        await (await admin.PostAsJsonAsync("/api/v1/admin/vehicles", new { vin, model = "911", modelYear = 2018 })).AssertProblemAsync(HttpStatusCode.Conflict, "vehicle_exists");

        // The secret works: the car logs in with it.
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, Convert.FromBase64String(secret));
    }

    [Fact]
    public async Task Bad_vehicle_data_is_refused_field_by_field()
    {
        var admin = await AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/admin/vehicles", new { vin = "WP0ZZZ99ZTSI23456", model = "", modelYear = 1901 });
        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("vin", out _));
        Assert.True(errors.TryGetProperty("model", out _));
        Assert.True(errors.TryGetProperty("modelYear", out _));
    }

    private static (string A, string B) TwoNewVins() =>
        ("WP0ZZZ99ZTS" + Random.Shared.Next(100_000, 999_999), "WP1ZZZ95ZLB" + Random.Shared.Next(100_000, 999_999));

    [Fact]
    public async Task Csv_import_registers_good_lines_and_reports_bad_ones()
    {
        var admin = await AdminAsync();
        var (a, b) = TwoNewVins();
        var csv = $"vin,model,model_year,colour,registration_number\n{a},Taycan,2024,Frozen Blue,S-PW 2\n{b},Macan,2020,,\nNOT-A-VIN,Cayenne,2018,,\n{a},Taycan,2024,,\n";
        var response = await admin.PostAsync("/api/v1/admin/vehicles/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("imported").GetInt32());
        Assert.Equal(1, body.GetProperty("skipped").GetInt32());
        Assert.Equal(4, Assert.Single(body.GetProperty("errors").EnumerateArray()).GetProperty("line").GetInt32());

        var badHeader = await admin.PostAsync("/api/v1/admin/vehicles/import", new StringContent("a,b\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(1, (await badHeader.JsonAsync()).GetProperty("errors")[0].GetProperty("line").GetInt32());
        var json = await admin.PostAsJsonAsync("/api/v1/admin/vehicles/import", new { });
        await json.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Csv_import_takes_a_spreadsheet_export_with_a_byte_order_mark_semicolons_and_quoted_fields()
    {
        var admin = await AdminAsync();
        var (a, b) = TwoNewVins();
        var csv = $"vin;model;model_year;colour\r\n{a};\"Taycan 4S; Sport Turismo\";2024;\"Enzianblau\r\nmetallic\"\r\n{b};Macan;1901;\r\n";
        var content = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");

        var body = await (await admin.PostAsync("/api/v1/admin/vehicles/import", content)).JsonAsync();

        Assert.Equal(1, body.GetProperty("imported").GetInt32());
        Assert.Equal(4, Assert.Single(body.GetProperty("errors").EnumerateArray()).GetProperty("line").GetInt32());
        var vehicle = await server.Get<Pitwall.Server.Features.Vehicles.VehicleStore>().FindAsync(a, CancellationToken.None);
        Assert.Equal("Taycan 4S; Sport Turismo", vehicle!.Model);
        Assert.Equal("Enzianblau\r\nmetallic", vehicle.Colour);
    }

    [Fact]
    public async Task Owners_cannot_register_vehicles()
    {
        var owner = await server.NewOwnerAsync();
        var response = await server.ClientWith(owner.AccessToken).PostAsJsonAsync("/api/v1/admin/vehicles", new { vin = "WP0ZZZ99ZTS000042", model = "911", modelYear = 2018 });
        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }
}

public sealed class AdminVehiclesOnSqlite(SqliteServer server) : AdminVehicleTests(server), IClassFixture<SqliteServer>;

public sealed class AdminVehiclesOnPostgres(PostgresServer server) : AdminVehicleTests(server), IClassFixture<PostgresServer>;
