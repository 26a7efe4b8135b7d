namespace Pitwall.Simulator;

/// <summary>A fleet's counters at one moment (summed over its cars).</summary>
public sealed record FleetStats(
    int Vehicles,
    int Started,
    int Connected,
    long Queued,
    long Sent,
    long Resent,
    long Acked,
    long Unacked,
    long Dropped,
    long Reconnects,
    long ConnectFailures,
    long ServerErrors,
    long PairingCodes)
{
    public override string ToString() =>
        $"connected {Connected}/{Vehicles}, reports sent {Sent}, acked {Acked}, unacked {Unacked}, resent {Resent}, " +
        $"dropped {Dropped}, reconnects {Reconnects}, failed connects {ConnectFailures}, server errors {ServerErrors}, pairing codes {PairingCodes}";
}
