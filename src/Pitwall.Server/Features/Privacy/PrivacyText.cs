namespace Pitwall.Server.Features.Privacy;

/// <summary>The portal's texts of privacy (the data-category register, the car's privacy refusals, the administration of
/// privacy and usage): PrivacyText.de.resx and .fr.resx beside this class, keyed by the English text (PrivacyText.resx names
/// the codes in English).</summary>
internal sealed class PrivacyText;
