using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Features.Trips.History;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Trips;

/// <summary>
/// Trip Control (REQUIREMENTS C3): at every engine stop and trip reset the car sends duration, distance, average speed and
/// average consumption, short term (the last drive) and long term (since the reset); the platform keeps only the latest
/// of each, discards them under the car's privacy switches (P1, P2), and shows them to the car's users. With the owner's consent
/// (P5) it also keeps a 90-day history of the drives and of the charge level.
/// </summary>
public static class TripsModule
{
    public static WebApplicationBuilder AddTrips(this WebApplicationBuilder builder)
    {
        builder.Services.AddProvidedServices("Trips", ServiceIds.TripControl);
        builder.Services.AddPortalTexts<TripsText>();
        builder.Services.AddVehicleTab(new("/trips", "Trips", 30, ServiceIds.TripControl));
        builder.Services.AddSingleton<TripStore>();
        builder.Services.AddSingleton<TripsReader>();
        builder.Services.AddSingleton<TripMessageHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler>(sp => sp.GetRequiredService<TripMessageHandler>());
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<TripMessageHandler>());
        builder.Services.AddSingleton<TripHistoryStore>();
        builder.Services.AddSingleton<TripHistory>();
        builder.Services.AddSingleton<ChargeLevelSampler>();
        builder.Services.AddSingleton<IStatusObserver>(sp => sp.GetRequiredService<ChargeLevelSampler>());
        builder.Services.AddSingleton<IConsentListener, TripHistoryEraser>();
        builder.Services.AddDataCategory(new DataCategory(
            "vehicle_trips", "Trip statistics (Trip Control)",
            "Show the owner and drivers the car's trip statistics: duration, distance, average speed and average consumption of the last drive " +
            "and since the last reset.",
            LegalBasis.Contract, Retention.OverwriteOnChange, true,
            [new("vehicle_trips") { AccountRows = CategoryTable.RowsOfTheAccountsCars }], []));
        builder.Services.AddDataCategory(new DataCategory(
            "vehicle_trip_history", "Trip history (Trip Control, with consent)",
            "Show the car's users its drives of the last 90 days (start, end, duration, distance, average speed and consumption, as the " +
            "car computed them at each engine stop) and the traction battery's charge level over time, drawn as a chart. Kept only " +
            "while the owner consents for the car; deleted when the consent is withdrawn or the car is unpaired.",
            LegalBasis.Consent, Retention.Days(TripHistory.RetentionDays), true,
            [
                new("vehicle_trip_history", "ended_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("vehicle_trip_history", "ended_at") },
                new("vehicle_charge_history", "recorded_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("vehicle_charge_history", "recorded_at") },
            ], []));
        return builder;
    }

    public static WebApplication MapTrips(this WebApplication app)
    {
        app.MapTripsEndpoints();
        return app;
    }
}
