namespace Pitwall.Server.Features.Commands;

/// <summary>The portal's texts of remote commands (lock, unlock, horn and lights, the PIN, the latest commands):
/// CommandsText.de.resx and .fr.resx beside this class, keyed by the English text (CommandsText.resx names the codes in
/// English).</summary>
internal sealed class CommandsText;
