using Pitwall.Server.Features.SmartService;

namespace Pitwall.Server.Features.Dealers;

/// <summary>
/// The car's health as the dealers feature uses it: the dealer's view of the data the car transmitted, and what is due (the
/// prefilled reason of a request). The Smart Service owns that data; this is the one place that asks it (<see cref="ICarHealth"/>).
/// </summary>
internal sealed class DealerCarData(ICarHealth health)
{
    /// <summary>The reason of a request when the owner writes none and nothing is due.</summary>
    public const string DefaultReason = "Service appointment";

    /// <summary>What is due and the open faults, as one line for a request's reason (within its length).</summary>
    public async Task<string> DueSummaryAsync(string vin, CancellationToken cancellationToken)
    {
        var due = await health.DueItemsAsync(vin, cancellationToken);
        if (due.Count == 0)
        {
            return DefaultReason;
        }
        var text = "Due: " + string.Join("; ", due);
        return text.Length <= AppointmentRules.MaxReasonLength ? text : text[..(AppointmentRules.MaxReasonLength - 1)] + "…";
    }

    /// <summary>All the car transmitted as the Smart Service keeps it; null when the car never sent a log.</summary>
    public Task<CarHealthSummary?> SummaryAsync(string vin, CancellationToken cancellationToken) => health.ReadAsync(vin, cancellationToken);

    /// <summary>The car's transmitted data of one kind, or null when the car never sent a log: <see cref="DealerAccessLog.Health"/> the
    /// components with state and predicted maintenance, <see cref="DealerAccessLog.Faults"/> the open faults with description and
    /// recommendation, <see cref="DealerAccessLog.Logs"/> the latest log's time and odometer with what it held.</summary>
    public async Task<object?> ReadAsync(string vin, string what, CancellationToken cancellationToken) =>
        await health.ReadAsync(vin, cancellationToken) is not { } summary ? null
        : what switch
        {
            DealerAccessLog.Health => summary.Components,
            DealerAccessLog.Faults => summary.Faults,
            _ => new { summary.LastLogAt, summary.OdometerMetres, Components = summary.Components.Count, Faults = summary.Faults.Count },
        };
}
