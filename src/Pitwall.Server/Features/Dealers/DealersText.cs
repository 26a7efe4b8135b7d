namespace Pitwall.Server.Features.Dealers;

/// <summary>The portal's texts of dealers and service appointments: DealersText.de.resx and .fr.resx beside this class, keyed by
/// the English text.</summary>
internal sealed class DealersText;
