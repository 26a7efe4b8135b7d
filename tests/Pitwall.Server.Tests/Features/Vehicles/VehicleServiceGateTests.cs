using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Vehicles;

/// <summary>
/// DESIGN §3.4a: every operation on <c>/api/v1/vehicles/{vin}/…</c> in the OpenAPI document refuses through the one gate, in
/// its fixed order — no access → 404, wrong role → 403, no package → 403, switched off → 409 — each request built so that every
/// later check would refuse too, so the answer shows which check comes first.
/// </summary>
public sealed class VehicleServiceGateTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    /// <summary>One operation as the gate sees it. <paramref name="Service"/> null: the operation belongs to the vehicle rather
    /// than to one of its services (<paramref name="Why"/> says why), so only access and role apply.
    /// <paramref name="SwitchedOff"/> false: the car's switches refuse nothing (<paramref name="Why"/> says why).</summary>
    public sealed record Operation(string Method, string Path, object? Body, string? Service, bool PrimaryOnly, bool SwitchedOff, string Why = "")
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private const string Reads = "a read of stored data: the answer says why values are missing (privacy_mode, service_disabled)";
    private const string ConsentChoice = "the owner's consent to what the platform keeps: always withdrawable, whatever the car's switches";
    private const string VehicleLevel = "belongs to the vehicle, not to a service";
    private const string ManualWithEveryCar =
        "the owner's manual comes with Connect Care, which every car includes (it cannot be withdrawn); reading it is a read";
    private const string DealerWithEveryCar =
        "dealers and appointments (maintenance) come with Connect Care, which every car includes; the dealer tests show the switches";
    private const string CarSecurityAlwaysOn = "Car Security cannot be switched off (E1) and passes private mode";
    private const string ChargingCards =
        "a charging card is the account's (under its contract id), not the car's: nothing goes to or comes from the car, so its switches do not concern it";
    private const string ChargingStations =
        "a start, stop or unlock at a public station goes to the station's operator under the account's contract: nothing goes to or comes from the car";
    private static readonly object Area = new { name = "Home", latitude = 49.4, longitude = 8.7, radiusMetres = 500, notify = "both" };

    public static readonly Operation[] Table =
    [
        new("GET", "/api/v1/vehicles/{vin}", null, null, false, false, VehicleLevel),
        new("DELETE", "/api/v1/vehicles/{vin}", null, null, true, false, VehicleLevel + " (unpairing)"),
        new("GET", "/api/v1/vehicles/{vin}/drivers", null, null, true, false, VehicleLevel + " (its users)"),
        new("POST", "/api/v1/vehicles/{vin}/drivers", new { email = "someone@example.com" }, null, true, false, VehicleLevel + " (its users)"),
        new("DELETE", "/api/v1/vehicles/{vin}/drivers/{accountId}", null, null, false, false,
            VehicleLevel + " (its users); a driver may remove themselves, so the role rule is the handler's"),
        new("POST", "/api/v1/vehicles/{vin}/access-keys", new { purpose = "map_position" }, null, false, false, VehicleLevel + " (a key to its position)"),
        new("GET", "/api/v1/vehicles/{vin}/offers", null, null, false, false, VehicleLevel + " (the packages it could have)"),
        new("GET", "/api/v1/vehicles/{vin}/contracts", null, null, false, false, VehicleLevel + " (its packages)"),
        new("POST", "/api/v1/vehicles/{vin}/contracts", new { packageId = "connect_remote" }, null, true, false, VehicleLevel + " (buying a package)"),
        new("GET", "/api/v1/vehicles/{vin}/status", null, ServiceIds.CarControl, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/location", null, ServiceIds.CarFinder, false, false, Reads),
        new("POST", "/api/v1/vehicles/{vin}/status/refresh", null, ServiceIds.CarControl, false, true),
        new("GET", "/api/v1/vehicles/{vin}/charging", null, ServiceIds.EControl, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/climate", null, ServiceIds.Climate, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/charging-cards", null, ServiceIds.Charging, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/charging-history", null, ServiceIds.Charging, false, false, Reads),
        new("POST", "/api/v1/vehicles/{vin}/charging-cards", null, ServiceIds.Charging, false, false, ChargingCards),
        new("POST", "/api/v1/vehicles/{vin}/charging-cards/{uid}/block", null, ServiceIds.Charging, false, false, ChargingCards),
        new("POST", "/api/v1/vehicles/{vin}/charging-commands", new { type = "stop_session", sessionId = "S1" }, ServiceIds.Charging, false, false, ChargingStations),
        new("GET", "/api/v1/vehicles/{vin}/charging-commands/{id}", null, ServiceIds.Charging, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/charging-sessions", null, ServiceIds.Charging, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/charging-stations", null, ServiceIds.Charging, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/trips", null, ServiceIds.TripControl, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/trips/history", null, ServiceIds.TripControl, false, false, Reads),
        new("PUT", "/api/v1/vehicles/{vin}/trips/history", new { keep = false }, ServiceIds.TripControl, true, false, ConsentChoice),
        new("GET", "/api/v1/vehicles/{vin}/alarms", null, ServiceIds.VehicleAlarm, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/health", null, ServiceIds.Maintenance, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/health/components/{component}", null, ServiceIds.Maintenance, false, false, Reads),
        new("POST", "/api/v1/vehicles/{vin}/commands", new { type = "flash" }, ServiceIds.RemoteHornAndLights, false, true),
        new("POST", "/api/v1/vehicles/{vin}/commands", new { type = "charge_settings", parameters = new { targetStateOfCharge = "80" } },
            ServiceIds.EControl, true, true),
        new("GET", "/api/v1/vehicles/{vin}/commands", null, null, false, false, VehicleLevel + " (commands of every service)"),
        new("GET", "/api/v1/vehicles/{vin}/commands/{id}", null, null, false, false, VehicleLevel + " (commands of every service)"),
        new("POST", "/api/v1/vehicles/{vin}/commands/pin-challenge", null, null, false, false, VehicleLevel + " (the account's remote PIN)"),
        new("GET", "/api/v1/vehicles/{vin}/geofences", null, ServiceIds.LocationAlarm, false, false, Reads),
        new("POST", "/api/v1/vehicles/{vin}/geofences", Area, ServiceIds.LocationAlarm, true, true),
        new("GET", "/api/v1/vehicles/{vin}/geofences/events", null, ServiceIds.LocationAlarm, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/geofences/{id}", null, ServiceIds.LocationAlarm, false, false, Reads),
        new("PUT", "/api/v1/vehicles/{vin}/geofences/{id}", Area, ServiceIds.LocationAlarm, true, true),
        new("PATCH", "/api/v1/vehicles/{vin}/geofences/{id}", new { name = "Work" }, ServiceIds.LocationAlarm, true, true),
        new("DELETE", "/api/v1/vehicles/{vin}/geofences/{id}", null, ServiceIds.LocationAlarm, true, true),
        new("GET", "/api/v1/vehicles/{vin}/valet", null, ServiceIds.ValetAlarm, false, false, Reads),
        new("PUT", "/api/v1/vehicles/{vin}/valet", new { }, ServiceIds.ValetAlarm, false, true),
        new("DELETE", "/api/v1/vehicles/{vin}/valet", null, ServiceIds.ValetAlarm, false, true),
        new("GET", "/api/v1/vehicles/{vin}/valet/events", null, ServiceIds.ValetAlarm, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/dealer", null, null, false, false, DealerWithEveryCar),
        new("PUT", "/api/v1/vehicles/{vin}/dealer", new { dealerId = "none" }, null, true, false, DealerWithEveryCar),
        new("DELETE", "/api/v1/vehicles/{vin}/dealer", null, null, true, false, DealerWithEveryCar),
        new("POST", "/api/v1/vehicles/{vin}/dealer/navigation", new { }, null, false, false, DealerWithEveryCar),
        new("GET", "/api/v1/vehicles/{vin}/dealer-access", null, null, false, false, VehicleLevel + " (who read its data)"),
        new("GET", "/api/v1/vehicles/{vin}/appointments", null, null, false, false, DealerWithEveryCar),
        new("POST", "/api/v1/vehicles/{vin}/appointments", new { slots = Array.Empty<string>() }, null, false, false, DealerWithEveryCar),
        new("GET", "/api/v1/vehicles/{vin}/appointments/{id}", null, null, false, false, DealerWithEveryCar),
        new("POST", "/api/v1/vehicles/{vin}/appointments/{id}/accept", null, null, false, false, DealerWithEveryCar),
        new("POST", "/api/v1/vehicles/{vin}/appointments/{id}/cancel", null, null, false, false, DealerWithEveryCar),
        new("GET", "/api/v1/vehicles/{vin}/appointments/{id}/calendar", null, null, false, false, DealerWithEveryCar),
        new("GET", "/api/v1/vehicles/{vin}/manual", null, null, false, false, ManualWithEveryCar),
        new("GET", "/api/v1/vehicles/{vin}/manual/search", null, null, false, false, ManualWithEveryCar),
        new("GET", "/api/v1/vehicles/{vin}/manual/sections/{id}", null, null, false, false, ManualWithEveryCar),
        new("GET", "/api/v1/vehicles/{vin}/manual/warnings/{code}", null, null, false, false, ManualWithEveryCar),
        new("PUT", "/api/v1/vehicles/{vin}/manual/favourites/{id}", null, null, false, false, ManualWithEveryCar),
        new("DELETE", "/api/v1/vehicles/{vin}/manual/favourites/{id}", null, null, false, false, ManualWithEveryCar),
        new("GET", "/api/v1/vehicles/{vin}/breakdown-calls", null, ServiceIds.BreakdownCall, false, false, Reads),
        new("POST", "/api/v1/vehicles/{vin}/breakdown-calls", new { assistance = true }, ServiceIds.BreakdownCall, false, true),
        new("GET", "/api/v1/vehicles/{vin}/breakdown-calls/{id}", null, ServiceIds.BreakdownCall, false, false, Reads),
        new("PUT", "/api/v1/vehicles/{vin}/breakdown-calls/{id}/consent", new { assistance = false }, ServiceIds.BreakdownCall, false, false,
            "giving or withdrawing a consent (P5) must work whatever the car's switches say"),
        new("GET", "/api/v1/vehicles/{vin}/software", null, ServiceIds.SoftwareUpdate, false, false, Reads),
        new("PUT", "/api/v1/vehicles/{vin}/software/preferences", new { updateKind = "feature", decision = "ask" }, ServiceIds.SoftwareUpdate, true, true),
        new("POST", "/api/v1/vehicles/{vin}/software/updates/{id}/accept", null, ServiceIds.SoftwareUpdate, false, true),
        new("POST", "/api/v1/vehicles/{vin}/software/updates/{id}/postpone", new { days = 1 }, ServiceIds.SoftwareUpdate, false, true),
        new("GET", "/api/v1/vehicles/{vin}/maps", null, ServiceIds.MapUpdate, false, false, Reads),
        new("GET", "/api/v1/vehicles/{vin}/car-security", null, null, false, false,
            VehicleLevel + ": a car without Car Security shows its trigger reasons too, for whoever considers buying it"),
        new("PUT", "/api/v1/vehicles/{vin}/car-security/triggers/{reason}", new { suspendedUntil = (DateTimeOffset?)null }, ServiceIds.CarSecurity, true, false,
            CarSecurityAlwaysOn),
        new("GET", "/api/v1/vehicles/{vin}/theft-cases", null, null, false, false, VehicleLevel + " (its thefts, covered or not)"),
        new("POST", "/api/v1/vehicles/{vin}/theft-cases", new { circumstances = "Gone" }, null, true, false,
            VehicleLevel + ": without Car Security the theft is noted (202), not refused"),
        new("GET", "/api/v1/vehicles/{vin}/uncovered-thefts", null, null, false, false, VehicleLevel + " (thefts without Car Security)"),
        new("POST", "/api/v1/vehicles/{vin}/uncovered-thefts/{id}/recovered", null, null, true, false, VehicleLevel + " (thefts without Car Security)"),
    ];

    [Fact]
    public async Task The_table_covers_every_vehicle_operation_of_the_openapi_document_and_says_why_where_a_check_does_not_apply()
    {
        var document = await (await server.Client.GetAsync("/openapi/v1.json")).JsonAsync();
        var documented = document.GetProperty("paths").EnumerateObject()
            // The dealer console's reads by VIN (/api/v1/dealer/cars/{vin}/…) are no use of the car by its users: their own rule
            // (the car chose the dealer, or has an open appointment with it) is the dealers' tests' business. Administrators'
            // reads (/api/v1/admin/vehicles/{vin}) are the registry's, under the admin scopes, for every car.
            .Where(p => p.Name.Contains("{vin}", StringComparison.Ordinal) && !p.Name.StartsWith("/api/v1/dealer/", StringComparison.Ordinal)
                && !p.Name.StartsWith("/api/v1/admin/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order().ToList();
        Assert.Equal(documented, Table.Select(o => o.ToString()).Distinct().Order().ToList());
        Assert.All(Table.Where(o => o.Service is null || !o.SwitchedOff), o => Assert.False(string.IsNullOrWhiteSpace(o.Why), $"{o}: say why"));
    }

    [Fact]
    public async Task Every_vehicle_operation_refuses_in_the_fixed_order_access_role_package_switches()
    {
        // A car without any of the services' packages (a 2019 Taycan fits neither remote-services package: only Connect Care
        // comes with it), in private mode, with a driver: every check refuses for it, so each request below shows the first one.
        var bare = await server.OwnedVehicleAsync("Taycan", 2019);
        var driver = await server.NewOwnerAsync();
        (await bare.Client.PostAsJsonAsync($"/api/v1/vehicles/{bare.Vin}/drivers", new { email = driver.Email })).EnsureSuccessStatusCode();
        var driverClient = server.ClientWith(driver.AccessToken);
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await using var bareCar = await TestCar.ConnectAsync(server.Client.BaseAddress!, bare.Vin, bare.Secret, privacy: new PrivacySettings { PrivateMode = true });
        // A car whose packages cover the services, in private mode.
        var covered = await server.OwnedVehicleAsync(owner: bare.Owner);
        // Connect Care comes with every car (ContractsOptions.IncludedPackages): a car whose included term has ended shows the
        // package check of the services it grants.
        var careless = await server.OwnedVehicleAsync("Taycan", 2019, owner: bare.Owner);
        await server.Get<Pitwall.Server.Data.Database>().WriteAsync((c, t) =>
        {
            Pitwall.Server.Features.Contracts.ContractEntitlements.Changed(t); // forget what the pairing cached
            return Dapper.SqlMapper.ExecuteAsync(c, "UPDATE contracts SET state = 'expired' WHERE vin = @vin", new { vin = careless.Vin }, t);
        }, CancellationToken.None);
        string[] connectCare = [ServiceIds.Maintenance, ServiceIds.BreakdownCall, ServiceIds.SoftwareUpdate, ServiceIds.MapUpdate];
        await using var coveredCar = await TestCar.ConnectAsync(server.Client.BaseAddress!, covered.Vin, covered.Secret,
            privacy: new PrivacySettings { PrivateMode = true });

        var failures = new List<string>();
        async Task ExpectAsync(Operation o, HttpClient client, string vin, HttpStatusCode status, string code, string step)
        {
            var response = await SendAsync(client, o, vin);
            var body = await response.Content.ReadAsStringAsync();
            var actual = response.StatusCode == status && body.Length > 0 && JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            if (actual != code)
            {
                failures.Add($"{o} ({o.Body}), {step}: expected {(int)status} {code}, got {(int)response.StatusCode} {body}");
            }
        }
        foreach (var o in Table)
        {
            await ExpectAsync(o, stranger, bare.Vin, HttpStatusCode.NotFound, "vehicle_not_found", "no access");
            if (o.PrimaryOnly)
            {
                await ExpectAsync(o, driverClient, bare.Vin, HttpStatusCode.Forbidden, "forbidden_for_role", "a driver");
            }
            if (o.Service is not null)
            {
                var packageless = connectCare.Contains(o.Service) ? careless : bare;
                await ExpectAsync(o, packageless.Client, packageless.Vin, HttpStatusCode.Forbidden, "not_entitled", "no package");
                if (o.SwitchedOff)
                {
                    await ExpectAsync(o, covered.Client, covered.Vin, HttpStatusCode.Conflict, "privacy_mode", "switched off");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Operation o, string vin)
    {
        var path = o.Path.Replace("{vin}", vin, StringComparison.Ordinal).Replace("{accountId}", "someone", StringComparison.Ordinal)
            .Replace("{id}", "some-id", StringComparison.Ordinal).Replace("{uid}", "some-uid", StringComparison.Ordinal).Replace("{reason}", "alarm", StringComparison.Ordinal)
            .Replace("{code}", "tyre_pressure_low", StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(o.Method), path);
        if (o.Body is not null)
        {
            request.Content = JsonContent.Create(o.Body, o.Body.GetType());
        }
        return client.SendAsync(request);
    }
}
