using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>The "invoice ready" notice: in the inbox and by e-mail unless the owner chose otherwise.</summary>
internal static class InvoiceNotifications
{
    /// <summary>After the contracts' notices.</summary>
    public const int Order = 55;

    public static readonly NotificationType Ready = new("charging.invoice_ready", "Charging invoice ready", false, NotificationChannels.InAppAndEmail);

    public static readonly IReadOnlyList<NotificationType> All = [Ready];

    // The sentence, in the feature's resx files (English, German, French); registered by the module.
    public static readonly NotificationTemplate ReadyText = new("notification:charging.invoice_ready");

    public static readonly IReadOnlyList<NotificationTemplate> Templates = [ReadyText];
}

/// <summary>Runs the invoices of the last closed month (<see cref="InvoicePeriod.LastClosed"/>) and collects open payments every
/// <see cref="ChargingOptions.InvoiceRunInterval"/>, on one instance at a time (a lease). The run is idempotent, so every tick may run
/// it again: after a crash the next tick issues what is missing.</summary>
internal sealed class InvoiceJob(InvoiceRun run, IOptions<ChargingOptions> options, Leases leases, TimeProvider time, ILogger<InvoiceJob> logger)
    : LeasedJob(leases, time, logger)
{
    protected override string LeaseName => "charging-invoices";

    protected override TimeSpan Interval => options.Value.InvoiceRunInterval;

    protected override bool Enabled => options.Value.InvoiceJob;

    protected override bool RunAtStart => true;

    public override Task RunOnceAsync(CancellationToken cancellationToken) => run.RunAsync(run.LastClosedPeriod(), cancellationToken);
}
