using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Hosting;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Contracts;

/// <summary>Stands in for the car security feature: the test says which cars are stolen.</summary>
public sealed class FakeTheftStatus : ITheftStatus
{
    public ConcurrentDictionary<string, bool> Stolen { get; } = new(StringComparer.Ordinal);

    public Task<bool> IsStolenAsync(string vin, CancellationToken cancellationToken) => Task.FromResult(Stolen.ContainsKey(vin));
}

/// <summary>New cars come with Connect Care only, so the remote services must be bought; theft is up to the test. A stand-in
/// also provides the service of the package an administrator adds (tyre storage), so that it is sold.</summary>
public interface IContractServer
{
    FakeTheftStatus Theft { get; }

    internal static void StandIns(IServiceCollection services, FakeTheftStatus theft)
    {
        services.Replace(ServiceDescriptor.Singleton<ITheftStatus>(theft));
        services.AddProvidedServices("stand-in", "tyre_storage");
    }
}

public sealed class ContractsSqliteServer : SqliteServer, IContractServer
{
    public FakeTheftStatus Theft { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:Contracts:IncludedPackages", "connect_care")];

    protected override void ConfigureServices(IServiceCollection services) => IContractServer.StandIns(services, Theft);
}

public sealed class ContractsPostgresServer : PostgresServer, IContractServer
{
    public FakeTheftStatus Theft { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:Contracts:IncludedPackages", "connect_care")];

    protected override void ConfigureServices(IServiceCollection services) => IContractServer.StandIns(services, Theft);
}
