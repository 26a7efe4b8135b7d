namespace Pitwall.Server.Features.MapUpdates;

/// <summary>The portal's texts of map updates (the car's map page): MapUpdatesText.de.resx and .fr.resx beside this class, keyed by
/// the English text.</summary>
internal sealed class MapUpdatesText;
