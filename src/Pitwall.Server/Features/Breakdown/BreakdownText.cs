namespace Pitwall.Server.Features.Breakdown;

/// <summary>The portal's texts of the breakdown call: BreakdownText.de.resx and .fr.resx beside this class, keyed by the English text.</summary>
internal sealed class BreakdownText;
