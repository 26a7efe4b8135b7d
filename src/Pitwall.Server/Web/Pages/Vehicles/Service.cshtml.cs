using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.SmartService;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// Smart Service (F1): each component's state and condition, the predicted maintenance per wear part with its confidence and the
/// data it rests on, the fault memory with description and recommendation, and a chart per component of its condition over time.
/// The same data as <c>/api/v1/vehicles/{vin}/health</c>, read through <see cref="ICarHealth"/>; it never contacts the car.
/// </summary>
internal sealed class ServiceModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, ICarHealth health)
    : VehiclePage(vehicles, issuer, t)
{
    /// <summary>False when the car's packages do not cover the Smart Service (the API answers not_entitled then).</summary>
    public bool Entitled { get; private set; }

    /// <summary>Null while the car has sent no service log.</summary>
    public CarHealthSummary? Health { get; private set; }

    /// <summary>Each component's condition over time, by component key.</summary>
    public IReadOnlyDictionary<string, ComponentHistory> Histories { get; private set; } = new Dictionary<string, ComponentHistory>();

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        Entitled = await UseAsync(ServiceIds.Maintenance, ServiceUse.Read, count: true, cancellationToken) is null;
        if (Entitled && await health.ReadAsync(Vin, cancellationToken) is { } summary)
        {
            Health = summary;
            var histories = new Dictionary<string, ComponentHistory>(StringComparer.Ordinal);
            foreach (var component in summary.Components)
            {
                if (await health.HistoryAsync(Vin, component.Id, cancellationToken) is { } history)
                {
                    histories[component.Id] = history;
                }
            }
            Histories = histories;
        }
        return Page();
    }

    /// <summary>What is due now or soon, or faulty: the reason an appointment is booked for.</summary>
    public bool AnythingDue => Health is { } h && (h.Faults.Count > 0 || h.Components.Any(c => c.State != "ok"));

    /// <summary>The chart's value axis: a percentage from 0 to 100, any other unit its own range.</summary>
    public static (double, double)? Range(string unit) => unit == "%" ? (0, 100) : null;

    public static IReadOnlyList<ChartPoint> Points(ComponentHistory history) => [.. history.Points.Select(p => new ChartPoint(p.RecordedAt, p.Value))];

    /// <summary>The component's English name (a key of the Smart Service's texts).</summary>
    public static string Name(string component) => ComponentNames.Of(component);

    /// <summary>The state in words (a key of the Smart Service's texts).</summary>
    public static string State(string state) => ComponentNames.StateText(state);





    /// <summary>The CSS class of a state's badge.</summary>
    public static string Badge(string state) => state switch
    {
        "ok" => "badge on",
        "due_soon" => "badge",
        _ => "badge bad",
    };

    public static string Basis(string basis) => basis switch
    {
        "trend" => "the trend of its condition",
        "interval" => "the model's service interval",
        "trend_and_interval" => "the trend and the model's service interval",
        _ => "its condition (no prediction)",
    };

    public static string FaultStatus(string status) => status switch
    {
        "pending" => "pending (seen once)",
        "permanent" => "permanent fault",
        _ => "confirmed fault",
    };

    public static string Severity(string severity) => severity switch
    {
        "high" => "act now",
        "low" => "at the next service",
        _ => "book soon",
    };
}
