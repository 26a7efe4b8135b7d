using System.Text.Json;
using Google.Protobuf;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

internal sealed class VehicleLink(
    SessionRegistry registry, VehicleLinkStore store, VinLocks locks, Data.Database database, CarRouting routing, InstanceHeartbeats heartbeats,
    InstancePresence presence) : IVehicleLink
{
    private static readonly JsonParser PrivacyParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public bool IsOnline(string vin) => registry.Find(vin) is not null;

    public async Task<bool> IsOnlineAsync(string vin, CancellationToken cancellationToken) =>
        IsOnline(vin) || (await OnlineAsync([vin], cancellationToken)).Contains(vin);

    public async Task<IReadOnlySet<string>> OnlineAsync(IReadOnlyCollection<string> vins, CancellationToken cancellationToken)
    {
        var online = vins.Where(IsOnline).ToHashSet(StringComparer.Ordinal);
        if (routing.Enabled && online.Count < vins.Count)
        {
            online.UnionWith(await heartbeats.HeldByLiveInstancesAsync([.. vins.Where(v => !online.Contains(v))], presence.Cutoff(), cancellationToken));
        }
        return online;
    }

    public async Task<long> SendAsync(string vin, Envelope frame, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        long seq;
        bool announce;
        using (await locks.AcquireAsync(vin, cancellationToken))
        {
            (seq, var epoch) = await store.EnqueueAsync(vin, frame, expiresAt, cancellationToken);
            announce = await routing.HandOverLockedAsync(vin, [frame], epoch, cancellationToken);
        }
        if (announce)
        {
            await routing.AnnounceAsync(vin, cancellationToken); // after the lock: the holder takes the car's lock to send
        }
        return seq;
    }

    public async Task<T> SendWithAsync<T>(
        string vin,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, EnqueueFrame, Task<T>> work,
        CancellationToken cancellationToken)
    {
        T result;
        var announce = false;
        using (await locks.AcquireAsync(vin, cancellationToken))
        {
            var frames = new List<Envelope>();
            var epoch = 0L;
            result = await database.WriteAsync((c, t) =>
            {
                frames.Clear(); // a retried transaction starts over
                return work(c, t, async (frame, expiresAt) =>
                {
                    (var seq, epoch) = await VehicleLinkStore.EnqueueAsync(c, t, database.Dialect, vin, frame, expiresAt);
                    frames.Add(frame);
                    return seq;
                });
            }, cancellationToken);
            if (frames.Count > 0)
            {
                announce = await routing.HandOverLockedAsync(vin, frames, epoch, cancellationToken);
            }
        }
        if (announce)
        {
            await routing.AnnounceAsync(vin, cancellationToken);
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
            // or held by another instance that is alive
            IsOnline(vin) || (routing.Enabled && row.HolderSeenAt is { } beat && beat >= presence.Cutoff().ToUnixTimeMilliseconds()),
            row.LastSeenAt is { } seen ? DateTimeOffset.FromUnixTimeMilliseconds(seen) : null,
            (int)row.ProtocolVersion,
            software,
            supported,
            privacy,
            row.CarAckedSeq);
    }

    private sealed record SoftwareRow(string Component, string Version);
}
