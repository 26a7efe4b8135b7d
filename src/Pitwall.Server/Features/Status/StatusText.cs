namespace Pitwall.Server.Features.Status;

/// <summary>The portal's texts of the car's status (dashboard, signals, the car's privacy switches): StatusText.de.resx and
/// .fr.resx beside this class, keyed by the English text.</summary>
internal sealed class StatusText;
