namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>The portal's texts of the location alarm (geofences and their events): LocationAlarmText.de.resx and .fr.resx
/// beside this class, keyed by the English text (LocationAlarmText.resx names the codes in English).</summary>
internal sealed class LocationAlarmText;
