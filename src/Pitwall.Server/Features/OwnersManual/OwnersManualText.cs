namespace Pitwall.Server.Features.OwnersManual;

/// <summary>The portal's texts of the owner's manual: OwnersManualText.de.resx and .fr.resx beside this class, keyed by the
/// English text. The manual's content itself is English (Content/manual.txt).</summary>
internal sealed class OwnersManualText;
