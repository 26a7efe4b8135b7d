using System.Collections.Concurrent;

namespace Pitwall.Server.Gateway;

/// <summary>The live session of each VIN on this instance; a new connection replaces the old one.</summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, VehicleSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public VehicleSession? Find(string vin) => _sessions.GetValueOrDefault(vin);

    /// <summary>Every session, as a snapshot.</summary>
    public IReadOnlyList<VehicleSession> All() => [.. _sessions.Values];

    /// <returns>The session this one replaced, if any.</returns>
    public VehicleSession? Register(VehicleSession session)
    {
        VehicleSession? replaced = null;
        _sessions.AddOrUpdate(session.Vin, session, (_, old) =>
        {
            replaced = old;
            return session;
        });
        return replaced;
    }

    /// <summary>The server is stopping: every session's socket is aborted (one registration on the shutdown token for all,
    /// none per session). A session that registers after this sees the token cancelled and aborts itself.</summary>
    public void StopAll()
    {
        foreach (var (_, session) in _sessions)
        {
            session.Abort();
        }
    }

    /// <returns>True when the session was still the registered one (and so the car is now offline).</returns>
    public bool Remove(VehicleSession session) => _sessions.TryRemove(KeyValuePair.Create(session.Vin, session));
}
