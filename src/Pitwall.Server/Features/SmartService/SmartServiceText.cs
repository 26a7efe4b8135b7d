namespace Pitwall.Server.Features.SmartService;

/// <summary>The portal's texts of the Smart Service: SmartServiceText.de.resx and .fr.resx beside this class, keyed by the English text.</summary>
internal sealed class SmartServiceText;
