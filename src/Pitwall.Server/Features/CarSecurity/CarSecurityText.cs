namespace Pitwall.Server.Features.CarSecurity;

/// <summary>The portal's texts of Car Security (the owner's theft cases, trigger reasons, notifications):
/// CarSecurityText.de.resx and .fr.resx beside this class, keyed by the English text.</summary>
internal sealed class CarSecurityText;
