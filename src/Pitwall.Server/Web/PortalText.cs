namespace Pitwall.Server.Web;

/// <summary>The portal's texts: English in the pages themselves, German and French in PortalText.de.resx / .fr.resx.</summary>
public sealed class PortalText;
