namespace Pitwall.Server.Features.Privacy;

/// <summary>
/// Told, inside the erasure's transaction and before the account row goes, that an account is being erased (its cars are
/// unpaired already): a feature deletes what it keeps about the account beyond what a listed legal obligation keeps.
/// </summary>
public interface IAccountErasureListener
{
    Task OnErasingAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string accountId);
}
