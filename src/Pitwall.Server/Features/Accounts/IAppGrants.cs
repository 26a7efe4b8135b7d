using System.Data.Common;

namespace Pitwall.Server.Features.Accounts;

/// <summary>What an owner's consent lets a third-party app see (issue 20), for other features that send apps something of a
/// car: the notifications feature asks before it queues a notification for an app's webhook.</summary>
public interface IAppGrants
{
    /// <summary>Whether the account's valid consent to the app (by client id) gives it <paramref name="scope"/> for the car.</summary>
    Task<bool> CoversAsync(DbConnection connection, DbTransaction? transaction, string accountId, string clientId, string vin, string scope);
}
