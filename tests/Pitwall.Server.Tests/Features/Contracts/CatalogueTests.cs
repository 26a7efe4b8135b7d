using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Hosting;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Contracts;

/// <summary>The catalogue sells only what exists: a package is offered and can be bought only when a feature provides every
/// service it grants.</summary>
public abstract class CatalogueTests(PitwallServer server)
{
    private static readonly string[] StillToCome = ["navigation_plus"]; // Connect Care is on sale: software updates, maintenance and the breakdown call exist

    [Fact]
    public async Task Every_service_of_a_package_on_sale_is_provided_by_a_feature_and_packages_for_services_still_to_come_are_not_sold()
    {
        var provided = server.Get<IEnumerable<ProvidedService>>().Select(p => p.Id).ToHashSet();
        var catalogue = await server.Get<PackageStore>().ListAsync(CancellationToken.None);
        var unsold = catalogue.Where(p => !p.Services.All(provided.Contains)).Select(p => p.Id).Order().ToList();
        Assert.Equal(StillToCome.Order(), unsold);

        var owned = await server.OwnedVehicleAsync("Taycan", 2025);
        var offers = (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/offers")).JsonAsync()).EnumerateArray()
            .Select(o => o.GetProperty("package")).ToList();
        Assert.NotEmpty(offers);
        Assert.All(offers, p => Assert.All(p.GetProperty("services").EnumerateArray(), s => Assert.Contains(s.GetString()!, provided)));
        foreach (var package in StillToCome)
        {
            Assert.DoesNotContain(offers, p => p.GetProperty("id").GetString() == package);
            await (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/contracts", new { packageId = package }))
                .AssertProblemAsync(HttpStatusCode.Conflict, "service_not_provided");
        }
        Assert.Contains(offers, p => p.GetProperty("id").GetString() == "connect_remote");
    }

    [Fact]
    public void Every_service_id_is_provided_by_exactly_one_feature()
    {
        var ids = typeof(ServiceIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        var providers = server.Get<IEnumerable<ProvidedService>>().GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.Select(p => p.Feature).ToList());
        Assert.All(ids, id => Assert.True(providers.TryGetValue(id, out var by) && by.Count == 1, $"{id} is provided by {string.Join(", ", providers.GetValueOrDefault(id) ?? [])}"));
    }
}

/// <summary>The platform's own features only: no stand-ins for services still to come.</summary>
public sealed class CatalogueSqliteServer : SqliteServer
{
    protected override IReadOnlyList<string> StandInServices => [];
}

public sealed class CataloguePostgresServer : PostgresServer
{
    protected override IReadOnlyList<string> StandInServices => [];
}

public sealed class CatalogueOnSqlite(CatalogueSqliteServer server) : CatalogueTests(server), IClassFixture<CatalogueSqliteServer>;

public sealed class CatalogueOnPostgres(CataloguePostgresServer server) : CatalogueTests(server), IClassFixture<CataloguePostgresServer>;
