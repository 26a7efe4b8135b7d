namespace Pitwall.Server.Features.Charging;

/// <summary>The portal's texts of the Charging Service: ChargingText.de.resx and .fr.resx beside this class, keyed by the English text.</summary>
internal sealed class ChargingText;
