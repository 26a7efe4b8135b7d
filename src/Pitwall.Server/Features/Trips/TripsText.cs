namespace Pitwall.Server.Features.Trips;

/// <summary>The portal's texts of Trip Control: TripsText.de.resx and .fr.resx beside this class, keyed by the English text.</summary>
internal sealed class TripsText;
