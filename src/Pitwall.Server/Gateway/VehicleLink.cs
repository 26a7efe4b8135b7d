using System.Text.Json;
using Google.Protobuf;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

internal sealed class VehicleLink(SessionRegistry registry, VehicleLinkStore store, VinLocks locks, Data.Database database) : IVehicleLink
{
    private static readonly JsonParser PrivacyParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public bool IsOnline(string vin) => registry.Find(vin) is not null;

    public async Task<long> SendAsync(string vin, Envelope frame, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(vin, cancellationToken);
        var seq = await store.EnqueueAsync(vin, frame, expiresAt, cancellationToken);
        registry.Find(vin)?.Send(frame);
        return seq;
    }

    public async Task<T> SendWithAsync<T>(
        string vin,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, EnqueueFrame, Task<T>> work,
        CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(vin, cancellationToken);
        var frames = new List<Envelope>();
        var result = await database.WriteAsync((c, t) =>
        {
            frames.Clear(); // a retried transaction starts over
            return work(c, t, async (frame, expiresAt) =>
            {
                var seq = await VehicleLinkStore.EnqueueAsync(c, t, vin, frame, expiresAt);
                frames.Add(frame);
                return seq;
            });
        }, cancellationToken);
        foreach (var frame in frames)
        {
            registry.Find(vin)?.Send(frame);
        }
        return result;
    }

    public Task RetractAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin, IReadOnlyCollection<long> seqs) =>
        VehicleLinkStore.RetractAsync(connection, transaction, vin, seqs);

    public async Task<PrivacySettings?> PrivacyAsync(string vin, CancellationToken cancellationToken)
    {
        if (registry.Find(vin) is { } session)
        {
            return session.Privacy;
        }
        var row = await store.FindAsync(vin, cancellationToken);
        return row?.ProtocolVersion is null ? null : row.Privacy is null ? new PrivacySettings() : PrivacyParser.Parse<PrivacySettings>(row.Privacy);
    }

    public async Task<VehicleLinkInfo?> InfoAsync(string vin, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(vin, cancellationToken);
        if (row?.ProtocolVersion is null)
        {
            return null;
        }
        var software = row.Software is null
            ? []
            : JsonSerializer.Deserialize<List<SoftwareRow>>(row.Software)!.Select(s => new SoftwareVersion { Component = s.Component, Version = s.Version }).ToList();
        var supported = row.SupportedSignals is null ? [] : JsonSerializer.Deserialize<HashSet<uint>>(row.SupportedSignals)!;
        var privacy = row.Privacy is null ? new PrivacySettings() : PrivacyParser.Parse<PrivacySettings>(row.Privacy);
        return new VehicleLinkInfo(
            IsOnline(vin),
            row.LastSeenAt is { } seen ? DateTimeOffset.FromUnixTimeMilliseconds(seen) : null,
            (int)row.ProtocolVersion,
            software,
            supported,
            privacy,
            row.CarAckedSeq);
    }

    private sealed record SoftwareRow(string Component, string Version);
}
