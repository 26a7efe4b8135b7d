using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Contracts;

/// <summary>Packages, contracts and entitlements (A5, B1–B4) over the API, with the simulator and moving time.</summary>
public abstract class ContractTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly object SecurityData = new
    {
        phoneNumbers = new[] { "+491701234567", "+49711123456" }, securityQuestion = "Name of my first car?", securityAnswer = " Blue Whale ",
        colour = "Frozen Blue", registrationNumber = "S-PW 911",
    };

    private FakeTheftStatus Theft => ((IContractServer)server).Theft;

    private async Task<(TestUser Owner, HttpClient Client, string Vin, byte[] Secret)> OwnedCarAsync(string model = "Taycan", int year = 2025)
    {
        var owned = await server.OwnedVehicleAsync(model, year);
        return (owned.Owner, owned.Client, owned.Vin, owned.Secret);
    }

    /// <summary>After moving time, the old access token has expired: sign in again.</summary>
    private async Task<HttpClient> FreshAsync(TestUser owner) => server.ClientWith((await server.SignInAsync(owner.Email, owner.Password)).AccessToken);

    private static Task<HttpResponseMessage> BuyAsync(HttpClient client, string vin, string packageId, object? carSecurity = null) =>
        client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/contracts", new { packageId, carSecurity });

    private static async Task<JsonElement> BoughtAsync(HttpClient client, string vin, string packageId, object? carSecurity = null)
    {
        var response = await BuyAsync(client, vin, packageId, carSecurity);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path) => client.PostAsync(path, null);

    [Theory]
    [InlineData("718 Cayman", 2015, "model_year_not_eligible")]
    [InlineData("718 Cayman", 2016, null)]
    [InlineData("718 Boxster", 2026, null)]
    [InlineData("911 Carrera", 2010, "model_year_not_eligible")]
    [InlineData("911 Carrera", 2011, null)]
    [InlineData("911 Carrera", 2019, null)]
    [InlineData("911 Carrera", 2020, "model_year_not_eligible")]
    [InlineData("Panamera", 2012, "model_year_not_eligible")]
    [InlineData("Panamera", 2013, null)]
    [InlineData("Panamera", 2022, null)]
    [InlineData("Panamera", 2023, "model_year_not_eligible")]
    [InlineData("Macan", 2014, "model_year_not_eligible")]
    [InlineData("Macan", 2015, null)]
    [InlineData("Macan", 2024, null)]
    [InlineData("Macan", 2025, "model_year_not_eligible")]
    [InlineData("Cayenne", 2016, "model_year_not_eligible")]
    [InlineData("Cayenne", 2017, null)]
    [InlineData("Cayenne", 2018, null)]
    [InlineData("Cayenne", 2019, "model_year_not_eligible")]
    [InlineData("Taycan", 2025, "model_not_eligible")]
    public async Task Car_Connect_fits_the_A5_models_and_years_and_the_offers_say_why_not(string model, int year, string? reason)
    {
        var (_, client, vin, _) = await OwnedCarAsync(model, year);
        var offers = await (await client.GetAsync($"/api/v1/vehicles/{vin}/offers")).JsonAsync();
        var carConnect = offers.EnumerateArray().Single(o => o.GetProperty("package").GetProperty("id").GetString() == "car_connect_remote");
        Assert.Equal(reason, carConnect.GetProperty("notAvailable").GetString());
        Assert.Equal(reason is null, carConnect.GetProperty("available").GetBoolean());
        if (reason is not null)
        {
            await (await BuyAsync(client, vin, "car_connect_remote")).AssertProblemAsync(HttpStatusCode.Conflict, "not_eligible");
        }
    }

    [Fact]
    public async Task Buying_and_withdrawing_a_package_switches_its_services_on_and_off_in_the_api_and_in_the_car()
    {
        var (_, client, vin, secret) = await OwnedCarAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = vin, Secret = secret, Seed = 21, RecordReceivedFrames = true,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await (await client.GetAsync($"/api/v1/vehicles/{vin}/charging")).AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");
        await (await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash" })).AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");

        var contract = await BoughtAsync(client, vin, "connect_remote");
        Assert.Equal(("active", true, 14900L), (contract.GetProperty("state").GetString(), contract.GetProperty("autoRenew").GetBoolean(),
            contract.GetProperty("priceMinor").GetInt64()));
        var on = await car.WaitForFrameAsync(f => f.Configuration?.ActiveServices?.Services.Contains("remote_horn_lights") == true).WaitAsync(Patience);
        Assert.Contains("software_update", on.Envelope.Configuration.ActiveServices.Services); // Connect Care, included with the car
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/vehicles/{vin}/charging")).StatusCode);
        var flash = await (await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash" })).JsonAsync();
        await car.WaitForFrameAsync(f => f.Command?.CommandId == flash.GetProperty("id").GetString()).WaitAsync(Patience);

        var withdrawn = await (await PostAsync(client, $"/api/v1/contracts/{contract.GetProperty("id").GetString()}/withdraw")).JsonAsync();
        Assert.Equal(("withdrawn", 14900L), (withdrawn.GetProperty("state").GetString(), withdrawn.GetProperty("refundMinor").GetInt64()));
        var off = await car.WaitForFrameAsync(f => f.Configuration is not null).WaitAsync(Patience);
        Assert.DoesNotContain("remote_horn_lights", off.Envelope.Configuration.ActiveServices.Services);
        Assert.DoesNotContain("remote_horn_lights", car.ActiveServices!);
        await (await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash" })).AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");
        await (await client.GetAsync($"/api/v1/vehicles/{vin}/status")).AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");
    }

    [Fact]
    public async Task Withdrawal_is_accepted_on_day_28_and_refused_on_day_29_when_only_cancelling_is_left()
    {
        var (owner, client, vin, _) = await OwnedCarAsync();
        var first = (await BoughtAsync(client, vin, "navigation_plus")).GetProperty("id").GetString();
        server.Clock.Advance(TimeSpan.FromDays(28));
        client = await FreshAsync(owner);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, $"/api/v1/contracts/{first}/withdraw")).StatusCode);

        var second = (await BoughtAsync(client, vin, "navigation_plus")).GetProperty("id").GetString();
        server.Clock.Advance(TimeSpan.FromDays(29));
        client = await FreshAsync(owner);
        await (await PostAsync(client, $"/api/v1/contracts/{second}/withdraw")).AssertProblemAsync(HttpStatusCode.Conflict, "withdrawal_period_over");
        var cancelled = await (await PostAsync(client, $"/api/v1/contracts/{second}/cancel")).JsonAsync();
        Assert.Equal(("active", false, "app"), (cancelled.GetProperty("state").GetString(), cancelled.GetProperty("autoRenew").GetBoolean(),
            cancelled.GetProperty("cancelChannel").GetString()));
        var included = (await (await client.GetAsync($"/api/v1/vehicles/{vin}/contracts")).JsonAsync()).EnumerateArray()
            .Single(c => c.GetProperty("included").GetBoolean()).GetProperty("id").GetString();
        await (await PostAsync(client, $"/api/v1/contracts/{included}/withdraw")).AssertProblemAsync(HttpStatusCode.Conflict, "not_withdrawable");
    }

    [Fact]
    public async Task At_the_end_of_a_term_a_contract_renews_or_expires_and_its_users_hear_a_month_before()
    {
        var (owner, client, vin, _) = await OwnedCarAsync();
        var renewing = await BoughtAsync(client, vin, "navigation_plus");
        var ending = await BoughtAsync(client, vin, "charging_service");
        await PostAsync(client, $"/api/v1/contracts/{ending.GetProperty("id").GetString()}/cancel");
        await using var events = await EventStream.OpenAsync(client);
        var end = renewing.GetProperty("endsAt").GetDateTimeOffset();
        var job = server.Get<RenewalJob>();

        server.Clock.Advance(end - server.Clock.GetUtcNow() - TimeSpan.FromDays(29));
        await job.RunOnceAsync(CancellationToken.None);
        await events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == "contract.renews");
        await events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == "contract.expires");

        server.Clock.Advance(TimeSpan.FromDays(29) - TimeSpan.FromSeconds(1));
        await job.RunOnceAsync(CancellationToken.None);
        client = await FreshAsync(owner);
        Assert.Equal("already_active", await OfferAsync(client, vin, "charging_service")); // one second before the end: still running

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await job.RunOnceAsync(CancellationToken.None);
        var contracts = (await (await client.GetAsync($"/api/v1/vehicles/{vin}/contracts")).JsonAsync()).EnumerateArray().ToList();
        var renewed = contracts.Single(c => c.GetProperty("id").GetString() == renewing.GetProperty("id").GetString());
        Assert.Equal(("active", 2), (renewed.GetProperty("state").GetString(), renewed.GetProperty("terms").GetInt32()));
        Assert.Equal(end.AddMonths(12), renewed.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal("expired", contracts.Single(c => c.GetProperty("id").GetString() == ending.GetProperty("id").GetString()).GetProperty("state").GetString());
        Assert.Null(await OfferAsync(client, vin, "charging_service")); // ended: can be bought again
    }

    private static async Task<string?> OfferAsync(HttpClient client, string vin, string packageId) =>
        (await (await client.GetAsync($"/api/v1/vehicles/{vin}/offers")).JsonAsync()).EnumerateArray()
            .Single(o => o.GetProperty("package").GetProperty("id").GetString() == packageId).GetProperty("notAvailable").GetString();

    [Fact]
    public async Task Car_Security_asks_for_the_B2_data_and_keeps_the_security_answer_only_as_a_hash()
    {
        var (_, client, vin, _) = await OwnedCarAsync();
        await (await BuyAsync(client, vin, "car_security")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var bad = await (await BuyAsync(client, vin, "car_security", new { phoneNumbers = new[] { "0711 123" }, securityQuestion = "?", securityAnswer = "x", colour = "", registrationNumber = "" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        foreach (var field in new[] { "carSecurity.securityQuestion", "carSecurity.securityAnswer", "carSecurity.colour", "carSecurity.registrationNumber" })
        {
            Assert.True(bad.GetProperty("errors").TryGetProperty(field, out _), field);
        }
        var contract = await BoughtAsync(client, vin, "car_security", SecurityData);
        var hash = await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<string>(
            "SELECT security_answer_hash FROM car_security_details WHERE contract_id = @id", new { id = contract.GetProperty("id").GetString() }), CancellationToken.None);
        Assert.DoesNotContain("Blue", hash, StringComparison.OrdinalIgnoreCase);
        Assert.True(CarSecurityRequest.AnswerMatches(hash, "blue whale"));
        Assert.False(CarSecurityRequest.AnswerMatches(hash, "red whale"));
    }

    [Fact]
    public async Task While_a_car_is_stolen_Car_Security_cannot_be_bought_cancelled_or_withdrawn()
    {
        var (_, client, vin, _) = await OwnedCarAsync();
        var contract = (await BoughtAsync(client, vin, "car_security", SecurityData)).GetProperty("id").GetString();
        var (_, otherClient, otherVin, _) = await OwnedCarAsync();
        Theft.Stolen[vin] = true;
        Theft.Stolen[otherVin] = true;
        try
        {
            await (await PostAsync(client, $"/api/v1/contracts/{contract}/cancel")).AssertProblemAsync(HttpStatusCode.Conflict, "vehicle_stolen");
            await (await PostAsync(client, $"/api/v1/contracts/{contract}/withdraw")).AssertProblemAsync(HttpStatusCode.Conflict, "vehicle_stolen");
            await (await BuyAsync(otherClient, otherVin, "car_security", SecurityData)).AssertProblemAsync(HttpStatusCode.Conflict, "vehicle_stolen");
            var offers = await (await otherClient.GetAsync($"/api/v1/vehicles/{otherVin}/offers")).JsonAsync();
            Assert.Equal("vehicle_stolen", offers.EnumerateArray().Single(o => o.GetProperty("package").GetProperty("id").GetString() == "car_security")
                .GetProperty("notAvailable").GetString());
            Assert.Equal(HttpStatusCode.Created, (await BuyAsync(otherClient, otherVin, "navigation_plus")).StatusCode); // other packages are fine
        }
        finally
        {
            Theft.Stolen.Clear();
        }
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, $"/api/v1/contracts/{contract}/cancel")).StatusCode);
    }

    [Fact]
    public async Task Only_the_primary_user_buys_strangers_see_nothing_and_customer_service_records_written_cancellations()
    {
        var (_, client, vin, _) = await OwnedCarAsync();
        var driver = await server.NewOwnerAsync();
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/drivers", new { email = driver.Email });
        await (await BuyAsync(server.ClientWith(driver.AccessToken), vin, "navigation_plus")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_for_role");
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await BuyAsync(stranger, vin, "navigation_plus")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await stranger.GetAsync($"/api/v1/vehicles/{vin}/contracts")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await BuyAsync(client, vin, "time_machine")).AssertProblemAsync(HttpStatusCode.NotFound, "package_not_found");
        var contract = (await BoughtAsync(client, vin, "navigation_plus")).GetProperty("id").GetString();
        await (await BuyAsync(client, vin, "navigation_plus")).AssertProblemAsync(HttpStatusCode.Conflict, "already_active");
        await (await PostAsync(stranger, $"/api/v1/contracts/{contract}/cancel")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Admin", "admin", "an admin password", CancellationToken.None);
        var admin = server.ClientWith((await server.SignInAsync(email, "an admin password")).AccessToken);
        await (await admin.PostAsJsonAsync($"/api/v1/admin/contracts/{contract}/written-cancellation", new { reference = "" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var cancelled = await (await admin.PostAsJsonAsync($"/api/v1/admin/contracts/{contract}/written-cancellation", new { reference = "CS-2026-0042" })).JsonAsync();
        Assert.Equal(("customer_service", "CS-2026-0042", false), (cancelled.GetProperty("cancelChannel").GetString(),
            cancelled.GetProperty("cancelReference").GetString(), cancelled.GetProperty("autoRenew").GetBoolean()));
        await (await client.PostAsJsonAsync($"/api/v1/admin/contracts/{contract}/written-cancellation", new { reference = "x" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");

        // The catalogue is the admin's: a new package, a bad one refused field by field.
        var saved = await admin.PutAsJsonAsync("/api/v1/admin/packages/winter_tyres", new
        {
            name = "Winter tyre service", services = new[] { "tyre_storage" }, termMonths = 6, priceMinor = 4500, currency = "EUR",
            fits = new[] { new { model = "", fromYear = (int?)null, toYear = (int?)null } },
        });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        await (await admin.PutAsJsonAsync("/api/v1/admin/packages/Bad Id", new { name = "", termMonths = 0, currency = "euro" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains((await (await client.GetAsync($"/api/v1/vehicles/{vin}/offers")).JsonAsync()).EnumerateArray(),
            o => o.GetProperty("package").GetProperty("id").GetString() == "winter_tyres" && o.GetProperty("available").GetBoolean());
    }
}

public sealed class ContractsOnSqlite(ContractsSqliteServer server) : ContractTests(server), IClassFixture<ContractsSqliteServer>;

public sealed class ContractsOnPostgres(ContractsPostgresServer server) : ContractTests(server), IClassFixture<ContractsPostgresServer>;
