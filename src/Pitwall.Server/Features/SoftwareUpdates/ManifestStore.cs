using System.Data.Common;
using Dapper;
using Pitwall.Protocol.Updates;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>A target's latest verified vehicle manifest and the fate of the latest refused one.</summary>
internal sealed record StoredManifest(
    string? KeyId, DateTimeOffset? SignedAt, DateTimeOffset? ReceivedAt, IReadOnlyList<InstalledImage> Installed, string? LastRefusal, DateTimeOffset? RefusedAt);

/// <summary>
/// Vehicle manifests (Uptane, F3): received over the car's link (in its ingest batch) or the DDI API, verified, and kept — only the latest
/// per target. The car's key is pinned at its first verified manifest; later ones must be signed by it and not be older.
/// </summary>
internal sealed class ManifestStore(Database database)
{
    public Task<StoredManifest?> FindAsync(string controllerId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => FindAsync(c, null, controllerId), cancellationToken);

    public Task<string?> ReceiveAsync(string controllerId, string vin, string document, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => ReceiveAsync(c, t, controllerId, vin, document, at), cancellationToken);

    /// <summary>Verifies and stores the manifest, or records why it was refused.</summary>
    /// <returns>Null, or the stable code of <see cref="ManifestRefusals"/>.</returns>
    public static async Task<string?> ReceiveAsync(DbConnection c, DbTransaction t, string controllerId, string vin, string document, DateTimeOffset at)
    {
        var stored = await FindAsync(c, t, controllerId);
        var check = VehicleManifests.Verify(document, vin, stored?.KeyId);
        var refusal = check.Refusal ?? (stored?.SignedAt is { } previous && check.Manifest!.SignedAt < previous ? ManifestRefusals.Replayed : null);
        var ms = at.ToUnixTimeMilliseconds();
        if (refusal is not null)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO sw_manifests (controller_id, last_refusal, refused_at) VALUES (@controllerId, @refusal, @ms)
                ON CONFLICT (controller_id) DO UPDATE SET last_refusal = excluded.last_refusal, refused_at = excluded.refused_at
                """, new { controllerId, refusal, ms }, t);
            return refusal;
        }
        var manifest = check.Manifest!;
        await c.ExecuteAsync(
            """
            INSERT INTO sw_manifests (controller_id, key_id, public_key, document, signed_at, received_at)
            VALUES (@controllerId, @KeyId, @PublicKey, @document, @signedAt, @ms)
            ON CONFLICT (controller_id) DO UPDATE SET key_id = COALESCE(sw_manifests.key_id, excluded.key_id),
                public_key = COALESCE(sw_manifests.public_key, excluded.public_key), document = excluded.document,
                signed_at = excluded.signed_at, received_at = excluded.received_at
            """, new { controllerId, manifest.KeyId, manifest.PublicKey, document, signedAt = manifest.SignedAt.ToUnixTimeMilliseconds(), ms }, t);
        return null;
    }

    public static async Task<StoredManifest?> FindAsync(DbConnection c, DbTransaction? t, string controllerId)
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>(
            "SELECT key_id AS KeyId, document AS Document, signed_at AS SignedAt, received_at AS ReceivedAt, last_refusal AS LastRefusal, refused_at AS RefusedAt "
            + "FROM sw_manifests WHERE controller_id = @controllerId", new { controllerId }, t);
        if (row is null)
        {
            return null;
        }
        // The stored document verified when it came; read back with its own key and VIN.
        var installed = row.Document is { } document && VehicleManifests.Verify(document, Vin(document), row.KeyId).Manifest is { } m ? m.Installed : [];
        return new StoredManifest(row.KeyId, Time(row.SignedAt), Time(row.ReceivedAt), installed, row.LastRefusal, Time(row.RefusedAt));
    }

    private static string Vin(string document) => System.Text.Json.Nodes.JsonNode.Parse(document)!["signed"]!["vin"]!.GetValue<string>();

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private sealed class Row
    {
        public string? KeyId { get; init; }
        public string? Document { get; init; }
        public long? SignedAt { get; init; }
        public long? ReceivedAt { get; init; }
        public string? LastRefusal { get; init; }
        public long? RefusedAt { get; init; }
    }
}
