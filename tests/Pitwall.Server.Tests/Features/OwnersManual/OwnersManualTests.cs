using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.OwnersManual;

/// <summary>The owner's manual (F4) in the app API and in the car, on each engine.</summary>
public abstract class OwnersManualTests(PitwallServer server)
{
    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static async Task CreateProfileAsync(OwnedVehicle owned) =>
        await OkAsync(await owned.Client.PutAsJsonAsync("/api/v1/manual/profile", new { name = "Alex Reader" }));

    [Fact]
    public async Task The_manual_needs_a_profile_then_shows_the_models_chapters_finds_sections_and_keeps_favourites_and_visits()
    {
        var owned = await server.OwnedVehicleAsync("911 Carrera", 2019);
        var manual = $"/api/v1/vehicles/{owned.Vin}/manual";
        await (await owned.Client.GetAsync(manual)).AssertProblemAsync(HttpStatusCode.Conflict, "manual_profile_required");
        await (await owned.Client.PutAsJsonAsync("/api/v1/manual/profile", new { name = "" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await CreateProfileAsync(owned);

        var contents = await OkAsync(await owned.Client.GetAsync(manual));
        var sections = contents.GetProperty("chapters").EnumerateArray().SelectMany(c => c.GetProperty("sections").EnumerateArray())
            .Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Contains("engine-oil", sections); // a combustion car's manual
        Assert.DoesNotContain("charging-at-home", sections);
        await (await owned.Client.GetAsync($"{manual}/sections/charging-at-home")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        var hits = (await OkAsync(await owned.Client.GetAsync($"{manual}/search?q=tyre%20pressu"))).GetProperty("hits");
        Assert.Equal("tyre-pressure", hits[0].GetProperty("id").GetString()); // the last word may be incomplete; the title weighs most
        Assert.Contains("pressure", hits[0].GetProperty("snippet").GetString(), StringComparison.OrdinalIgnoreCase);
        await (await owned.Client.GetAsync($"{manual}/search?q=x")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var brakes = await OkAsync(await owned.Client.GetAsync($"{manual}/warnings/brake_pad_wear"));
        Assert.Equal("brakes", brakes.GetProperty("id").GetString());
        Assert.Equal("/api/v1/manual/images/brake-pad.svg", brakes.GetProperty("imageUrl").GetString());
        var drawing = await server.Client.GetAsync("/api/v1/manual/images/brake-pad.svg");
        Assert.Equal("image/svg+xml", drawing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, (await owned.Client.PutAsync($"{manual}/favourites/brakes", null)).StatusCode);
        await (await owned.Client.PutAsync($"{manual}/favourites/no-such-section", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        contents = await OkAsync(await owned.Client.GetAsync(manual));
        Assert.Equal("brakes", contents.GetProperty("favourites")[0].GetProperty("id").GetString());
        Assert.Equal("brakes", contents.GetProperty("recent")[0].GetProperty("id").GetString());
        Assert.True((await OkAsync(await owned.Client.GetAsync($"{manual}/sections/brakes"))).GetProperty("favourite").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await owned.Client.DeleteAsync($"{manual}/favourites/brakes")).StatusCode);
        Assert.Equal(0, (await OkAsync(await owned.Client.GetAsync(manual))).GetProperty("favourites").GetArrayLength());

        var stranger = await server.OwnedVehicleAsync();
        await (await stranger.Client.GetAsync(manual)).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
    }

    [Fact]
    public async Task A_warning_in_the_car_opens_its_chapter_and_the_visit_shows_as_opened_in_the_car()
    {
        var owned = await server.OwnedVehicleAsync("Taycan", 2025);
        await CreateProfileAsync(owned);
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret);
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, ManualLookup = new ManualLookup { RequestId = "r1", WarningCode = "tyre_pressure_low" } });
        await car.WaitForAckAsync(seq);
        var page = (await car.ReceiveAsync(Envelope.PayloadOneofCase.ManualPage)).ManualPage;
        Assert.Equal("r1", page.RequestId);
        Assert.Equal("", page.Unavailable);
        Assert.Equal("tyre-pressure", page.SectionId);
        Assert.Equal("Wheels and tyres", page.ChapterTitle);
        Assert.Contains(page.Paragraphs, p => p.Contains("tyre pressure monitor", StringComparison.Ordinal));
        Assert.Equal("/api/v1/manual/images/tyre-label.svg", page.ImagePath);

        var inCar = (await OkAsync(await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/manual"))).GetProperty("recentInCar");
        Assert.Equal("tyre-pressure", inCar[0].GetProperty("id").GetString());

        // A combustion car's warning does not exist in an electric car's manual: the car hears so.
        seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, ManualLookup = new ManualLookup { RequestId = "r2", WarningCode = "engine_oil_level_low" } });
        Assert.Equal("not_found", (await car.ReceiveAsync(Envelope.PayloadOneofCase.ManualPage)).ManualPage.Unavailable);
    }

    [Fact]
    public async Task A_car_with_the_manual_switched_off_stores_nothing_and_is_told_why()
    {
        var owned = await server.OwnedVehicleAsync();
        var privacy = new PrivacySettings { DisabledServices = { "owners_manual" } };
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: privacy);
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, ManualLookup = new ManualLookup { RequestId = "r1", SectionId = "brakes" } });
        await car.WaitForAckAsync(seq);
        Assert.Equal("service_disabled", (await car.ReceiveAsync(Envelope.PayloadOneofCase.ManualPage)).ManualPage.Unavailable);
        Assert.Equal(0, await server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM manual_car_visits WHERE vin = @vin", new { vin = owned.Vin }), CancellationToken.None));
    }

    [Fact]
    public async Task A_profile_unused_for_a_year_is_deleted_and_the_manual_asks_for_a_new_one()
    {
        var owned = await server.OwnedVehicleAsync();
        await CreateProfileAsync(owned);
        var manual = $"/api/v1/vehicles/{owned.Vin}/manual";
        await OkAsync(await owned.Client.GetAsync($"{manual}/sections/tyre-pressure"));
        var profile = await OkAsync(await owned.Client.GetAsync("/api/v1/manual/profile"));
        Assert.Equal("Alex Reader", profile.GetProperty("name").GetString());
        Assert.Equal(profile.GetProperty("lastUsedAt").GetDateTimeOffset().AddDays(365), profile.GetProperty("deletedAfter").GetDateTimeOffset());

        // Access tokens last hours, not years: sign in again after each jump of the clock.
        async Task<HttpClient> SignedInAsync() => server.ClientWith((await server.SignInAsync(owned.Owner.Email, "correct horse battery")).AccessToken);
        server.Clock.Advance(TimeSpan.FromDays(200));
        await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        await OkAsync(await (await SignedInAsync()).GetAsync(manual)); // used again: the year starts over
        server.Clock.Advance(TimeSpan.FromDays(364));
        await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        await OkAsync(await (await SignedInAsync()).GetAsync("/api/v1/manual/profile"));

        server.Clock.Advance(TimeSpan.FromDays(2));
        await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        await (await (await SignedInAsync()).GetAsync("/api/v1/manual/profile")).AssertProblemAsync(HttpStatusCode.NotFound, "manual_profile_required");
    }
}

public sealed class OwnersManualOnSqlite(SqliteServer server) : OwnersManualTests(server), IClassFixture<SqliteServer>;

public sealed class OwnersManualOnPostgres(PostgresServer server) : OwnersManualTests(server), IClassFixture<PostgresServer>;
