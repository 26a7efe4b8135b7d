namespace Pitwall.Server.Features.ValetAlarm;

/// <summary>The portal's texts of the valet alarm: ValetAlarmText.de.resx and .fr.resx beside this class, keyed by the
/// English text.</summary>
internal sealed class ValetAlarmText;
