namespace Pitwall.Server.Web;

/// <summary>The texts of the portal's frame (layout, sign-in, words several features share): English in the pages themselves
/// (English names of codes in PortalText.resx), German and French in PortalText.de.resx / .fr.resx. A feature's own texts sit in
/// its folder (<c>Features/Trips/TripsText.*.resx</c>), added by its module with <see cref="PortalTexts.AddPortalTexts{TText}"/>;
/// the pages read all of them through <c>IStringLocalizer&lt;PortalText&gt;</c>.</summary>
public sealed class PortalText;
