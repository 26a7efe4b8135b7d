using System.Text.Json;
using Pitwall.Protocol;

namespace Pitwall.Server.Features.SmartService;

/// <summary>The Smart Service's answer about a car (<see cref="ICarHealth"/>), from what the prediction job stored and the
/// fault memory, each fault with its description and recommendation.</summary>
internal sealed class CarHealthReader(HealthStore store, FaultCatalog faults) : ICarHealth
{
    public async Task<CarHealthSummary?> ReadAsync(string vin, CancellationToken cancellationToken)
    {
        var (health, open, lastLogAt, odometer) = await store.ReadAsync(vin, cancellationToken);
        if (lastLogAt is not { } at)
        {
            return null;
        }
        return new CarHealthSummary(vin, at, odometer, [.. health.OrderByDescending(h => ComponentNames.Rank(h.State)).ThenBy(h => Order(h.Component)).Select(ToComponent)],
            [.. open.Select(Describe)]);
    }

    public async Task<IReadOnlyList<string>> DueItemsAsync(string vin, CancellationToken cancellationToken)
    {
        if (await ReadAsync(vin, cancellationToken) is not { } summary)
        {
            return [];
        }
        var faultLines = summary.Faults.Where(f => f.Status != "pending" || f.WarningLamp).Select(f => $"Fault {f.Code}: {f.Description}");
        var componentLines = summary.Components.Where(c => c.State is MaintenancePrediction.DueNow or MaintenancePrediction.DueSoon or MaintenancePrediction.Fault)
            .Select(c => $"{ComponentNames.Of(c.Id)}: {ComponentNames.StateText(c.State)}");
        return [.. faultLines, .. componentLines];
    }

    public async Task<ComponentHistory?> HistoryAsync(string vin, string component, CancellationToken cancellationToken) =>
        ComponentCatalog.Find(component) is { } known
            ? new ComponentHistory(vin, known.Key, known.Unit, await store.HistoryAsync(vin, known.Key, cancellationToken))
            : null;

    /// <summary>A stored fault with its meaning.</summary>
    public OpenFault Describe(FaultRow f)
    {
        var meaning = faults.Describe(f.Code);
        var frame = JsonSerializer.Deserialize<List<JsonElement>>(f.FreezeFrame) ?? [];
        return new OpenFault(f.Code, meaning.Description, meaning.Recommendation, meaning.Severity, f.Status, f.ControlUnit,
            DateTimeOffset.FromUnixTimeMilliseconds(f.FirstSeen), DateTimeOffset.FromUnixTimeMilliseconds(f.LastSeen), (int)f.Occurrences, f.WarningLamp != 0,
            [.. frame.Select(v => new FreezeFrameValue(v.GetProperty("name").GetString()!, v.GetProperty("value").GetDouble(), v.GetProperty("unit").GetString()!))]);
    }

    private static ComponentHealth ToComponent(HealthRow h) => new(
        h.Component, h.State, h.Value, ComponentCatalog.Find(h.Component)?.Unit ?? "", DateTimeOffset.FromUnixTimeMilliseconds(h.RecordedAt),
        h.DueAt is { } due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null, h.DueOdometerM, h.Confidence, (int)h.Points, h.Basis);

    private static uint Order(string component) => ComponentCatalog.Find(component)?.Id ?? uint.MaxValue;
}
