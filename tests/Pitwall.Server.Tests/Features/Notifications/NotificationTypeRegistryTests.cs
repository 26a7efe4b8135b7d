using System.Net.Http.Json;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Notifications;

/// <summary>Each feature registers its notification types; the registry collects them in the users' order.</summary>
public sealed class NotificationTypeRegistryTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private static NotificationType Type(string id) => new(id, id, false, NotificationChannels.InAppAndPush);

    [Fact]
    public void Types_are_listed_by_the_features_order_then_as_each_feature_lists_them()
    {
        var registry = new NotificationTypeRegistry(
        [
            new(20, [Type("b.one"), Type("b.two")]),
            new(10, [Type("a.one")]),
        ]);
        Assert.Equal(["a.one", "b.one", "b.two"], registry.All.Select(t => t.Id));
        Assert.Equal("b.two", registry.Find("b.two")?.Id);
        Assert.Null(registry.Find("c.one"));
    }

    [Fact]
    public void Two_features_registering_the_same_id_fail_at_start_up()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new NotificationTypeRegistry([new(10, [Type("a.one")]), new(20, [Type("a.one")])]));
        Assert.Contains("a.one", error.Message);
    }

    [Fact]
    public async Task The_api_lists_every_features_types_in_the_established_order_with_their_titles()
    {
        var owner = await server.NewOwnerAsync();
        var preferences = await server.ClientWith(owner.AccessToken).GetFromJsonAsync<NotificationPreferencesResponse>("/api/v1/me/notification-preferences");
        Assert.Equal(
        [
            ("charging.error", "Charging failed", false), ("charging.plug_not_locked", "Charging plug not locked", false),
            ("charging.stopped", "Charging stopped", false), ("climate.stopped_low_battery", "Climatisation stopped", false),
            ("alarm.triggered", "Vehicle alarm", true), ("geofence.entered", "Location alarm", false), ("geofence.exited", "Location alarm", false),
            ("valet.speed_exceeded", "Valet alarm: speed", true), ("valet.radius_exceeded", "Valet alarm: distance", true),
            ("valet.ended", "Valet alarm ended", false), ("contract.renews", "Package renews", false), ("contract.expires", "Package ends", false),
            ("contract.renewal_stopped", "Package no longer renews", false), ("charging.invoice_ready", "Charging invoice ready", false),
            ("theft.case_opened", "Car Security: theft alarm", true),
            ("theft.confirmed", "Car Security: handed to the police", true), ("theft.case_closed", "Car Security: case closed", false),
            ("theft.health_check_missed", "Car Security: health check missed", false),
            ("service.due", "Maintenance due", false), ("service.fault", "Vehicle fault", false),
            ("breakdown.received", "Breakdown call received", true), ("breakdown.help", "Breakdown help", true), ("breakdown.closed", "Breakdown call closed", false),
            ("appointment.requested", "Service appointment requested", false), ("appointment.confirmed", "Service appointment confirmed", false),
            ("appointment.proposed", "Service appointment: another time proposed", false), ("appointment.declined", "Service appointment declined", false),
            ("appointment.cancelled", "Service appointment cancelled", false), ("appointment.completed", "Service appointment completed", false),
        ], preferences!.Types.Select(t => (t.Type, t.Title, t.Urgent)));
    }
}
