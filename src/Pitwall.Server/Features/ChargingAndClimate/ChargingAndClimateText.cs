namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary>The portal's texts of charging and climatisation (panels, commands, timers, charging states):
/// ChargingAndClimateText.de.resx and .fr.resx beside this class, keyed by the English text (ChargingAndClimateText.resx
/// names the codes in English).</summary>
internal sealed class ChargingAndClimateText;
