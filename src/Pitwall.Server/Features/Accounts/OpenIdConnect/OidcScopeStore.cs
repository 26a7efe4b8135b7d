using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using OpenIddict.Abstractions;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>Pitwall's scopes are code (<see cref="Scopes"/>), registered with the server at start-up: this store has nothing to
/// keep and refuses changes, so no table exists for it.</summary>
internal sealed class OidcScopeStore : IOpenIddictScopeStore<OidcScope>
{
    private static readonly List<OidcScope> All = [.. Scopes.All.Concat(Scopes.ThirdParty).Select(s => new OidcScope { Name = s })];

    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        await Task.CompletedTask;
        foreach (var item in items)
        {
            yield return item;
        }
    }

    private static NotSupportedException ReadOnly() => new("Pitwall's scopes are fixed in code.");

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => new(All.Count);
    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<OidcScope>, IQueryable<TResult>> query, CancellationToken cancellationToken) => new(query(All.AsQueryable()).LongCount());
    public ValueTask CreateAsync(OidcScope scope, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask DeleteAsync(OidcScope scope, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask UpdateAsync(OidcScope scope, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask<OidcScope?> FindByIdAsync(string identifier, CancellationToken cancellationToken) => new(All.Find(s => s.Name == identifier));
    public ValueTask<OidcScope?> FindByNameAsync(string name, CancellationToken cancellationToken) => new(All.Find(s => s.Name == name));
    public IAsyncEnumerable<OidcScope> FindByNamesAsync(ImmutableArray<string> names, CancellationToken cancellationToken) => Stream(All.Where(s => names.Contains(s.Name)));
    public IAsyncEnumerable<OidcScope> FindByResourceAsync(string resource, CancellationToken cancellationToken) => Stream<OidcScope>([]);

    public ValueTask<TResult?> GetAsync<TState, TResult>(Func<IQueryable<OidcScope>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        new(query(All.AsQueryable(), state).FirstOrDefault());

    public ValueTask<string?> GetDescriptionAsync(OidcScope scope, CancellationToken cancellationToken) => new((string?)null);
    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDescriptionsAsync(OidcScope scope, CancellationToken cancellationToken) => new(ImmutableDictionary<CultureInfo, string>.Empty);
    public ValueTask<string?> GetDisplayNameAsync(OidcScope scope, CancellationToken cancellationToken) => new(scope.Name);
    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDisplayNamesAsync(OidcScope scope, CancellationToken cancellationToken) => new(ImmutableDictionary<CultureInfo, string>.Empty);
    public ValueTask<string?> GetIdAsync(OidcScope scope, CancellationToken cancellationToken) => new(scope.Name);
    public ValueTask<string?> GetNameAsync(OidcScope scope, CancellationToken cancellationToken) => new(scope.Name);
    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(OidcScope scope, CancellationToken cancellationToken) => new(ImmutableDictionary<string, JsonElement>.Empty);
    public ValueTask<ImmutableArray<string>> GetResourcesAsync(OidcScope scope, CancellationToken cancellationToken) => new(ImmutableArray<string>.Empty);
    public ValueTask<OidcScope> InstantiateAsync(CancellationToken cancellationToken) => new(new OidcScope());
    public IAsyncEnumerable<OidcScope> ListAsync(int? count, int? offset, CancellationToken cancellationToken) => Stream(All.Skip(offset ?? 0).Take(count ?? int.MaxValue));

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(Func<IQueryable<OidcScope>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        Stream(query(All.AsQueryable(), state));

    public ValueTask SetDescriptionAsync(OidcScope scope, string? description, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDescriptionsAsync(OidcScope scope, ImmutableDictionary<CultureInfo, string> descriptions, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDisplayNameAsync(OidcScope scope, string? name, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetDisplayNamesAsync(OidcScope scope, ImmutableDictionary<CultureInfo, string> names, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetNameAsync(OidcScope scope, string? name, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetPropertiesAsync(OidcScope scope, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) => throw ReadOnly();
    public ValueTask SetResourcesAsync(OidcScope scope, ImmutableArray<string> resources, CancellationToken cancellationToken) => throw ReadOnly();
}
