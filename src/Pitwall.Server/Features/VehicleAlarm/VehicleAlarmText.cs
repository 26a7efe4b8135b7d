namespace Pitwall.Server.Features.VehicleAlarm;

/// <summary>The portal's texts of the vehicle alarm: VehicleAlarmText.de.resx and .fr.resx beside this class, keyed by the
/// English text.</summary>
internal sealed class VehicleAlarmText;
