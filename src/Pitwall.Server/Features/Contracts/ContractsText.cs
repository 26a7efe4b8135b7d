namespace Pitwall.Server.Features.Contracts;

/// <summary>The portal's texts of packages and contracts (buying, withdrawing, the administration of packages):
/// ContractsText.de.resx and .fr.resx beside this class, keyed by the English text (ContractsText.resx names the codes in
/// English).</summary>
internal sealed class ContractsText;
