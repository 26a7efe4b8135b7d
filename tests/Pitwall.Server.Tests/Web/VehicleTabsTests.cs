using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Server.Web;

namespace Pitwall.Server.Tests.Web;

/// <summary>Each feature registers its vehicle page's tab; the tab bar shows them in their order.</summary>
public sealed class VehicleTabsTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public void Tabs_are_shown_in_their_order_whoever_registered_first()
    {
        var tabs = new VehicleTabs([new("/b", "B", 20), new("", "A", 10), new("/c", "C", 30, "c_service")]);
        Assert.Equal(["", "/b", "/c"], tabs.All.Select(t => t.Path));
    }

    [Fact]
    public void Two_tabs_for_one_path_fail_at_start_up()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new VehicleTabs([new("/b", "B", 20), new("/b", "Other B", 30)]));
        Assert.Contains("/b", error.Message);
    }

    [Fact]
    public void The_features_register_the_vehicle_pages_tabs_in_the_established_order()
    {
        Assert.Equal(
        [
            ("", "Status"), ("/charging", "Charging and climate"), ("/charging-cards", "Charging cards"), ("/public-charging", "Public charging"), ("/trips", "Trips"), ("/geofences", "Location alarm"),
            ("/alarms", "Alarms"), ("/security", "Car Security"), ("/packages", "Packages"), ("/service", "Smart Service"), ("/breakdown", "Breakdown call"), ("/software", "Software updates"), ("/maps", "Map updates"), ("/manual", "Manual"), ("/dealer", "Dealer"),
            ("/users", "Drivers"),
        ], server.Get<VehicleTabs>().All.Select(t => (t.Path, t.Label)));
    }
}
