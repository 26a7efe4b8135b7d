namespace Pitwall.Server.Features.Accounts;

/// <summary>The portal's texts of the account pages (profile, consents, the administration of accounts):
/// AccountsText.de.resx and .fr.resx beside this class, keyed by the English text.</summary>
internal sealed class AccountsText;
