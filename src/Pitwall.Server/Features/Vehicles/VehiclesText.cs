namespace Pitwall.Server.Features.Vehicles;

/// <summary>The portal's texts of the vehicles (pairing, the administration of vehicles): VehiclesText.de.resx and .fr.resx
/// beside this class, keyed by the English text.</summary>
internal sealed class VehiclesText;
