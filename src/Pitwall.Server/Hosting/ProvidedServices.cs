namespace Pitwall.Server.Hosting;

/// <summary>
/// A vehicle service a feature provides (a service id as packages grant it, e.g. <c>remote_lock</c>). The catalogue sells
/// a package only when every service it grants is provided by some feature: a package for a service still to come is
/// kept, shown to administrators, and becomes purchasable when the feature that provides its services lands.
/// </summary>
/// <param name="Id">The service id (<see cref="Pitwall.Protocol.ServiceIds"/>).</param>
/// <param name="Feature">The feature folder that provides it.</param>
public sealed record ProvidedService(string Id, string Feature);

public static class ProvidedServiceCollectionExtensions
{
    /// <summary>Each feature declares the services it provides next to its other registrations.</summary>
    public static IServiceCollection AddProvidedServices(this IServiceCollection services, string feature, params IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            services.AddSingleton(new ProvidedService(id, feature));
        }
        return services;
    }
}
