using System.Data.Common;
using Pitwall.Server.Features.Privacy;

namespace Pitwall.Server.Features.Contracts;

/// <summary>Erasing an account deletes the Car Security contact data of its contracts; the contracts stay, as the law requires.</summary>
internal sealed class ContractErasure : IAccountErasureListener
{
    public Task OnErasingAsync(DbConnection connection, DbTransaction transaction, string accountId) =>
        ContractStore.DeleteCarSecurityDetailsOfAccountAsync(connection, transaction, accountId);
}
