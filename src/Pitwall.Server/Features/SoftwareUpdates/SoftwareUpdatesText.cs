namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The portal's texts of software updates (the car's software page, the administration of modules, sets and
/// campaigns): SoftwareUpdatesText.de.resx and .fr.resx beside this class, keyed by the English text
/// (SoftwareUpdatesText.resx names the codes in English).</summary>
internal sealed class SoftwareUpdatesText;
