using Pitwall.Server.Features.Charging.Commands;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Charging.Sessions;

/// <summary>The portal's way into public charging: running sessions, history, start and stop (the owner API's rules).</summary>
internal sealed class PublicCharging(LiveSessions live, ChargeRecordStore records, ChargingCommandSender sender, ChargingCommandStore commands, TimeProvider time)
    : IPublicCharging
{
    public async Task<IReadOnlyList<ChargingCommandResponse>> LatestCommandsAsync(string accountId, string vin, int count, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return [.. (await commands.LatestAsync(accountId, vin, count, cancellationToken)).Select(c => ChargingCommandEndpoints.From(c, now))];
    }

    public Task<IReadOnlyList<LiveChargingSessionResponse>> RunningAsync(string accountId, CancellationToken cancellationToken) =>
        live.RunningAsync(accountId, cancellationToken);

    public async Task<IReadOnlyList<ChargeResponse>> HistoryAsync(string accountId, CancellationToken cancellationToken) =>
        [.. (await records.CdrsOfAsync(accountId, ChargingHistory.MaxCharges, cancellationToken)).Select(ChargingHistory.From)];

    public async Task<(ChargingCommandResponse? Command, Refusal? Refusal)> StartAsync(
        HttpRequest request, string accountId, string vin, string? evse, CancellationToken cancellationToken)
    {
        var (command, refusal) = await sender.StartAsync(request, accountId, vin, evse, null, cancellationToken);
        return (command is null ? null : ChargingCommandEndpoints.From(command, time.GetUtcNow()), refusal);
    }

    public async Task<(ChargingCommandResponse? Command, Refusal? Refusal)> StopAsync(
        HttpRequest request, string accountId, string vin, string sessionId, CancellationToken cancellationToken)
    {
        var (command, refusal) = await sender.StopAsync(request, accountId, vin, sessionId, cancellationToken);
        return (command is null ? null : ChargingCommandEndpoints.From(command, time.GetUtcNow()), refusal);
    }
}
