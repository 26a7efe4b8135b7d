using Microsoft.Extensions.Localization;

namespace Pitwall.Server.Web;

/// <summary>One resource of the portal's texts: the marker class whose resx files (<c>Name.resx</c> for the English names
/// of codes, <c>Name.de.resx</c>, <c>Name.fr.resx</c>) sit beside it. The portal's frame has <see cref="PortalText"/> in
/// <c>Web/</c>; each feature has its own in its folder.</summary>
internal sealed record PortalTextSource(Type Marker);

/// <summary>Every text of the portal in one language, for what is written outside a page's request (a notification in its
/// reader's language).</summary>
public interface IPortalTextCatalogue
{
    /// <summary>The culture's texts, its language's, then the English names: key → text.</summary>
    IReadOnlyDictionary<string, string> TextsIn(System.Globalization.CultureInfo culture);
}

public static class PortalTexts
{
    /// <summary>Adds a feature's texts to the portal's one localizer (<c>IStringLocalizer&lt;PortalText&gt;</c>, <c>T</c> in the
    /// pages): <typeparamref name="TText"/> marks the feature's resx files. A key belongs to one resource only.</summary>
    public static IServiceCollection AddPortalTexts<TText>(this IServiceCollection services)
    {
        services.AddSingleton(new PortalTextSource(typeof(TText)));
        return services;
    }

    /// <summary>A service's name in the page's language (keys <c>service:&lt;id&gt;</c>, in the catalogue's texts); the id itself
    /// for a service nobody named yet.</summary>
    public static string ServiceName(this IStringLocalizer t, string serviceId) =>
        t[ServiceKeyPrefix + serviceId] is { ResourceNotFound: false } name ? name.Value : serviceId;

    private const string ServiceKeyPrefix = "service:";

    /// <summary>The package's services by name, e.g. "Vehicle status, Car finder".</summary>
    public static string ServiceNames(this IStringLocalizer t, IEnumerable<string> serviceIds) => string.Join(", ", serviceIds.Select(t.ServiceName));
}
