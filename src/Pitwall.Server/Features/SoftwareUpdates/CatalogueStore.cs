using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The SQL of the software catalogue: modules, their artifacts, distribution sets. Sets and modules are never changed
/// nor removed through Pitwall, only a module's artifacts added: for the DDI door (every download asks for both) a set or module read
/// by id is kept on SQLite for <see cref="SoftwareUpdateOptions.DoorCacheLifetime"/>, and forgotten when an artifact is added in this
/// process.</summary>
internal sealed class CatalogueStore(Database database, IOptions<SoftwareUpdateOptions> options, TimeProvider time)
{
    // Bumped by every committed insert into the catalogue in this process (any instance in it: tests run several).
    private static long s_changes;

    private readonly ShortLivedCache<string, DistributionSet> _sets = new(database.Dialect == SqlDialect.Sqlite ? options.Value.DoorCacheLifetime : TimeSpan.Zero);
    private readonly ShortLivedCache<string, SoftwareModule> _modules = new(database.Dialect == SqlDialect.Sqlite ? options.Value.DoorCacheLifetime : TimeSpan.Zero);

    private static void Changed(DbTransaction transaction) => Database.AfterCommit(transaction, () => Interlocked.Increment(ref s_changes));

    /// <summary>The cached answer, or the database's (kept when found).</summary>
    private async Task<T?> CachedAsync<T>(ShortLivedCache<string, T> cache, string id, Func<Task<T?>> read) where T : class
    {
        var now = time.GetUtcNow();
        var changes = Interlocked.Read(ref s_changes); // before the read: an insert committing meanwhile makes the entry stale
        if (cache.TryGet(id, changes, now, out var cached))
        {
            return cached;
        }
        var found = await read();
        if (found is not null)
        {
            cache.Set(id, found, changes, now, DateTimeOffset.MaxValue);
        }
        return found;
    }

    private const string ModuleColumns =
        "id AS Id, kind AS Kind, name AS Name, version AS Version, vendor AS Vendor, description AS Description, created_at AS CreatedAt, metadata AS Metadata";

    private const string ArtifactColumns =
        "module_id AS ModuleId, filename AS Filename, size AS Size, sha256 AS Sha256, sha1 AS Sha1, md5 AS Md5, created_at AS CreatedAt";

    private const string SetColumns =
        "id AS Id, name AS Name, version AS Version, update_kind AS UpdateKind, model AS Model, from_year AS FromYear, to_year AS ToYear, " +
        "hardware_variant AS HardwareVariant, description AS Description, created_at AS CreatedAt";

    /// <returns>False when a module with this id, or this name and version, exists.</returns>
    public Task<bool> TryInsertModuleAsync(SoftwareModule m, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            """
            INSERT INTO sw_modules (id, kind, name, version, vendor, description, created_at, metadata)
            VALUES (@Id, @Kind, @Name, @Version, @Vendor, @Description, @at, @metadata) ON CONFLICT DO NOTHING
            """, new { m.Id, m.Kind, m.Name, m.Version, m.Vendor, m.Description, at = m.CreatedAt.ToUnixTimeMilliseconds(),
                metadata = m.Metadata is { Count: > 0 } metadata ? System.Text.Json.JsonSerializer.Serialize(metadata) : null }, t) == 1, cancellationToken);

    public Task<IReadOnlyList<SoftwareModule>> ModulesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await ModulesAsync(c, null, null), cancellationToken);

    public Task<SoftwareModule?> FindModuleAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await ModulesAsync(c, null, id)).SingleOrDefault(), cancellationToken);

    /// <summary><see cref="FindModuleAsync"/> for the DDI door, which asks on every download (see the class).</summary>
    public Task<SoftwareModule?> FindModuleForDoorAsync(string id, CancellationToken cancellationToken) =>
        CachedAsync(_modules, id, () => FindModuleAsync(id, cancellationToken));

    /// <summary>The module with this id (all when null), with their artifacts, by name and version.</summary>
    private static async Task<IReadOnlyList<SoftwareModule>> ModulesAsync(DbConnection c, DbTransaction? t, string? id)
    {
        var rows = await c.QueryAsync<ModuleRow>(
            $"SELECT {ModuleColumns} FROM sw_modules{(id is null ? "" : " WHERE id = @id")} ORDER BY name, version", new { id }, t);
        var artifacts = (await c.QueryAsync<ArtifactRow>(
            $"SELECT {ArtifactColumns} FROM sw_artifacts{(id is null ? "" : " WHERE module_id = @id")} ORDER BY filename", new { id }, t))
            .Select(a => a.ToArtifact()).ToLookup(a => a.ModuleId);
        return [.. rows.Select(r => new SoftwareModule(r.Id, r.Kind, r.Name, r.Version, r.Vendor, r.Description, StoredTime.Read(r.CreatedAt), [.. artifacts[r.Id]],
            r.Metadata is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<ModuleMetadata>>(r.Metadata)))];
    }

    /// <returns>False when the module has an artifact of this name.</returns>
    public Task<bool> TryInsertArtifactAsync(Artifact a, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            Changed(t); // the module's cached artifacts are forgotten
            return await c.ExecuteAsync(
                """
                INSERT INTO sw_artifacts (module_id, filename, size, sha256, sha1, md5, created_at)
                VALUES (@ModuleId, @Filename, @Size, @Sha256, @Sha1, @Md5, @at) ON CONFLICT DO NOTHING
                """, new { a.ModuleId, a.Filename, a.Size, a.Sha256, a.Sha1, a.Md5, at = a.CreatedAt.ToUnixTimeMilliseconds() }, t) == 1;
        }, cancellationToken);

    public Task<Artifact?> FindArtifactAsync(string moduleId, string filename, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<ArtifactRow>(
            $"SELECT {ArtifactColumns} FROM sw_artifacts WHERE module_id = @moduleId AND filename = @filename", new { moduleId, filename }))
            .Select(r => r.ToArtifact()).SingleOrDefault(), cancellationToken);

    /// <returns>False when a set with this id, or this name and version, exists.</returns>
    public Task<bool> TryInsertSetAsync(DistributionSet s, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await c.ExecuteAsync(
                """
                INSERT INTO sw_distribution_sets (id, name, version, update_kind, model, from_year, to_year, hardware_variant, description, created_at)
                VALUES (@Id, @Name, @Version, @UpdateKind, @Model, @FromYear, @ToYear, @HardwareVariant, @Description, @at) ON CONFLICT DO NOTHING
                """, new { s.Id, s.Name, s.Version, s.UpdateKind, s.Model, s.FromYear, s.ToYear, s.HardwareVariant, s.Description, at = s.CreatedAt.ToUnixTimeMilliseconds() }, t) == 0)
            {
                return false;
            }
            await c.ExecuteAsync("INSERT INTO sw_set_modules (set_id, module_id) VALUES (@setId, @moduleId)",
                s.ModuleIds.Select(m => new { setId = s.Id, moduleId = m }), t);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<DistributionSet>> SetsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => SetsAsync(c, null, null), cancellationToken);

    public Task<DistributionSet?> FindSetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await SetsAsync(c, null, id)).SingleOrDefault(), cancellationToken);

    /// <summary><see cref="FindSetAsync"/> for the DDI door, which asks on every download (see the class).</summary>
    public Task<DistributionSet?> FindSetForDoorAsync(string id, CancellationToken cancellationToken) =>
        CachedAsync(_sets, id, () => FindSetAsync(id, cancellationToken));

    private static async Task<IReadOnlyList<DistributionSet>> SetsAsync(DbConnection c, DbTransaction? t, string? id)
    {
        var where = id is null ? "" : " WHERE id = @id";
        var sets = await c.QueryAsync<SetRow>($"SELECT {SetColumns} FROM sw_distribution_sets{where} ORDER BY name, version", new { id }, t);
        var modules = (await c.QueryAsync<(string SetId, string ModuleId)>(
            $"SELECT set_id, module_id FROM sw_set_modules{(id is null ? "" : " WHERE set_id = @id")} ORDER BY module_id", new { id }, t)).ToLookup(m => m.SetId, m => m.ModuleId);
        return [.. sets.Select(r => new DistributionSet(r.Id, r.Name, r.Version, r.UpdateKind, r.Model, r.FromYear, r.ToYear, r.HardwareVariant, r.Description,
            StoredTime.Read(r.CreatedAt), [.. modules[r.Id]]))];
    }

    private sealed class ModuleRow
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string Version { get; init; } = "";
        public string? Vendor { get; init; }
        public string? Description { get; init; }
        public long CreatedAt { get; init; }
        public string? Metadata { get; init; }
    }

    private sealed class ArtifactRow
    {
        public string ModuleId { get; init; } = "";
        public string Filename { get; init; } = "";
        public long Size { get; init; }
        public string Sha256 { get; init; } = "";
        public string Sha1 { get; init; } = "";
        public string Md5 { get; init; } = "";
        public long CreatedAt { get; init; }

        public Artifact ToArtifact() => new(ModuleId, Filename, Size, Sha256, Sha1, Md5, StoredTime.Read(CreatedAt));
    }

    private sealed class SetRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Version { get; init; } = "";
        public string UpdateKind { get; init; } = "";
        public string? Model { get; init; }
        public int? FromYear { get; init; }
        public int? ToYear { get; init; }
        public string? HardwareVariant { get; init; }
        public string? Description { get; init; }
        public long CreatedAt { get; init; }
    }
}
