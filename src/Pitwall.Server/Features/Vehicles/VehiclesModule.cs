using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Gateway;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>Vehicle registry, pairing, drivers and access keys (REQUIREMENTS A2, A3, A4).</summary>
public static class VehiclesModule
{
    public static WebApplicationBuilder AddVehicles(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<VehiclesText>();
        builder.Services.AddSingleton<VehicleStore>();
        builder.Services.AddSingleton<IVehicleAccess>(sp => sp.GetRequiredService<VehicleStore>());
        builder.Services.AddSingleton<IVehicleDirectory>(sp => sp.GetRequiredService<VehicleStore>());
        builder.Services.AddSingleton<IVehicleCredentials>(sp => new StoreCredentials(sp.GetRequiredService<VehicleStore>()));
        builder.Services.AddSingleton<VehicleRegistry>();
        builder.Services.AddSingleton<VehicleAdministration>();
        builder.Services.AddSingleton<PairingService>();
        builder.Services.AddSingleton<VehicleUsers>();
        builder.Services.AddVehicleTab(new("/users", "Drivers", 90));
        builder.Services.AddSingleton<AccessKeys>();
        builder.Services.AddSingleton<VehicleServiceGate>();
        builder.Services.AddScoped<CurrentVehicle>();
        builder.Services.AddDataCategory(VehicleDataCategories.Registry);
        builder.Services.AddDataCategory(VehicleDataCategories.Users);
        builder.Services.AddDataCategory(VehicleDataCategories.Pairing);
        builder.Services.AddDataCategory(VehicleDataCategories.AccessKeys);
        return builder;
    }

    public static WebApplication MapVehicles(this WebApplication app)
    {
        app.MapVehicleEndpoints();
        app.MapAdminVehicleEndpoints();
        return app;
    }

    private sealed class StoreCredentials(VehicleStore store) : IVehicleCredentials
    {
        public Task<byte[]?> SecretOfAsync(string vin, CancellationToken cancellationToken) => store.SecretOfAsync(vin, cancellationToken);

        public async Task<bool> IsRegisteredAsync(string vin, CancellationToken cancellationToken) => await store.FindAsync(vin, cancellationToken) is not null;
    }
}

internal static class VehicleDataCategories
{
    public static DataCategory Registry { get; } = new(
        "vehicle_registry", "Vehicle registry",
        "Know which cars may log in (A2): VIN, model, model year, colour, registration number and the link secret.",
        LegalBasis.Contract, Retention.UntilVehicleDeregistered, true, [new("vehicles") { AccountRows = CategoryTable.RowsOfTheAccountsCars, SecretColumns = ["secret"] }], []);

    public static DataCategory Users { get; } = new(
        "vehicle_users", "Vehicle users",
        "Which accounts may use which car, as primary user or driver (A3).",
        LegalBasis.Contract, Retention.UntilAccountDeletion, true, [new("vehicle_users") { AccountRows = "account_id = @accountId" }], []);

    public static DataCategory Pairing { get; } = new(
        "vehicle_pairing", "Pairing requests",
        "Pair a car with an account by a one-time code shown in the car (hashed code, attempts, expiry).",
        LegalBasis.Contract, Retention.DurationOfRequest("until the pairing expires (10 minutes)"), true, [new("pairing_requests", "expires_at") { AccountRows = "account_id = @accountId", SecretColumns = ["code_hash"] }], []);

    public static DataCategory AccessKeys { get; } = new(
        "access_keys", "Short-lived access keys",
        "Let one service see one thing for a short time, e.g. a map showing the car's position (A4, E5); stored hashed.",
        LegalBasis.Contract, Retention.DurationOfRequest("until the key expires (at most one hour)"), true, [new("access_keys", "expires_at") { AccountRows = "account_id = @accountId", SecretColumns = ["key_hash"] }],
        [new("Map provider", "displays the position; never the VIN or a name", true, DataElement.Position, DataElement.AccessKey)]);
}
