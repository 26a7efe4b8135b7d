using Dapper;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

/// <summary>Car presence across instances (issue 19): who holds which car, and what waits for the cars an instance holds.</summary>
internal sealed partial class VehicleLinkStore
{
    /// <summary>The car's current session epoch and the frames after <paramref name="afterSeq"/> still to go out, oldest first.</summary>
    public Task<(long Epoch, IReadOnlyList<Envelope> Frames)> PendingAfterAsync(string vin, long afterSeq, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync<(long, IReadOnlyList<Envelope>)>(async c =>
        {
            // One query: the epoch on every row (one row without a payload when nothing waits; none when the car has no link).
            var rows = (await c.QueryAsync<(long Epoch, byte[]? Payload)>(
                """
                SELECT l.session_epoch, o.payload FROM vehicle_link l
                LEFT JOIN vehicle_outbox o ON o.vin = l.vin AND o.seq > @afterSeq AND o.expires_at > @now
                WHERE l.vin = @vin ORDER BY o.seq
                """, new { vin, afterSeq, now = now.ToUnixTimeMilliseconds() })).ToList();
            return (rows.Count == 0 ? 0 : rows[0].Epoch, rows.Where(r => r.Payload is not null).Select(r => Envelope.Parser.ParseFrom(r.Payload)).ToList());
        }, cancellationToken);

    /// <summary>Per car this instance holds: the newest frame waiting for it (the sweep compares it with what went out).</summary>
    public Task<IReadOnlyList<(string Vin, long Seq)>> WaitingForAsync(string instance, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<(string, long)>>(async c => (await c.QueryAsync<(string, long)>(
            """
            SELECT o.vin, MAX(o.seq) FROM vehicle_outbox o JOIN vehicle_link l ON l.vin = o.vin
            WHERE l.session_instance = @instance AND o.expires_at > @now
            GROUP BY o.vin
            """, new { instance, now = now.ToUnixTimeMilliseconds() })).ToList(), cancellationToken);

    /// <summary>The cars recorded as held by this instance, with their session epochs.</summary>
    public Task<IReadOnlyDictionary<string, long>> HeldByAsync(string instance, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, long>>(async c => (await c.QueryAsync<(string Vin, long Epoch)>(
            "SELECT vin, session_epoch FROM vehicle_link WHERE session_instance = @instance", new { instance }))
            .ToDictionary(r => r.Vin, r => r.Epoch, StringComparer.Ordinal), cancellationToken);
}
