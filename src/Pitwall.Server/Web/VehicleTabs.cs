using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Pitwall.Server.Web;

/// <summary>A tab of the portal's vehicle pages, registered by the feature whose page it opens.</summary>
/// <param name="Path">The page's path after the VIN (<c>/vehicles/{vin}{Path}</c>): <c>""</c> for the status page, else <c>/charging</c> and so on.</param>
/// <param name="Label">The tab's English text, also its key in the portal's texts (translated in de and fr).</param>
/// <param name="Order">Where the tab stands in the bar, relative to the other features' tabs.</param>
/// <param name="ServiceId">The vehicle service the page is about (<see cref="Pitwall.Protocol.ServiceIds"/>), if it is about one.</param>
public sealed record VehicleTab(string Path, string Label, int Order, string? ServiceId = null);

/// <summary>The registered tabs in their order, for the tab bar (<c>_VehicleTabs</c>); two tabs for one path fail at start-up.</summary>
internal sealed class VehicleTabs
{
    public VehicleTabs(IEnumerable<VehicleTab> tabs)
    {
        All = [.. tabs.OrderBy(t => t.Order)];
        if (All.GroupBy(t => t.Path, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Two vehicle tabs are registered for the path '{twice.Key}'.");
        }
    }

    public IReadOnlyList<VehicleTab> All { get; }
}

public static class VehicleTabServiceCollectionExtensions
{
    /// <summary>A feature declares its page's tab next to its other registrations.</summary>
    public static IServiceCollection AddVehicleTab(this IServiceCollection services, VehicleTab tab)
    {
        services.TryAddSingleton<VehicleTabs>();
        return services.AddSingleton(tab);
    }
}
