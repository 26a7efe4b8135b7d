using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.OwnersManual;

/// <summary>
/// The manual in the car (F4): the car's display asks for a section, or for the one a warning message links to; the visit is
/// stored with the batch (the car's "recently visited", 12 months) and the page goes back as a <see cref="ManualPage"/>.
/// In private mode nothing is stored or answered; without the package or with the service switched off nothing is stored and
/// the answer says why.
/// </summary>
internal sealed partial class ManualLookupHandler(
    ManualContent content, IEntitlements entitlements, IServiceAccess switches, IVehicleDirectory vehicles, IVehicleLink link,
    TimeProvider time, ILogger<ManualLookupHandler> logger) : IVehicleMessageHandler
{
    /// <summary>How long an answer waits for a car that went offline: a page is only worth showing soon after it was asked for.</summary>
    private static readonly TimeSpan AnswerLifetime = TimeSpan.FromMinutes(10);

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.ManualLookup;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            if (await RefusalAsync(message) is null && Target(message.Envelope.ManualLookup) is { } section)
            {
                await ManualStore.CarVisitedAsync(connection, transaction, message.Vin, section.Id, message.ReceivedAt);
            }
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages) => _ = AnswerAsync(messages);

    private async Task AnswerAsync(IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages.Where(m => !m.Privacy.PrivateMode))
        {
            try
            {
                var lookup = message.Envelope.ManualLookup;
                var page = new ManualPage { RequestId = lookup.RequestId };
                if (await RefusalAsync(message) is { } refusal)
                {
                    page.Unavailable = refusal;
                }
                else if (Target(lookup) is { } section && section.AppliesTo((await vehicles.FindAsync(message.Vin, CancellationToken.None))?.Model ?? ""))
                {
                    page.SectionId = section.Id;
                    page.ChapterTitle = section.ChapterTitle;
                    page.Title = section.Title;
                    page.Paragraphs.AddRange(section.Paragraphs);
                    page.ImagePath = section.Image is { } image ? ManualReader.ImagePath(image) : "";
                }
                else
                {
                    page.Unavailable = "not_found";
                }
                await link.SendAsync(message.Vin, new Envelope { ManualPage = page }, time.GetUtcNow() + AnswerLifetime, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogAnswerFailed(logger, e, Hosting.LogRef.Vehicle(message.Vin)); // the car asks again when the driver does
            }
        }
    }

    /// <summary>Why the car's lookup is not served, or null; private mode is handled before (nothing at all happens then).</summary>
    private async Task<string?> RefusalAsync(InboundMessage message) =>
        !switches.ForCarData(ServiceIds.OwnersManual, message.Privacy).Allowed ? "service_disabled"
        : !await entitlements.IsEntitledAsync(message.Vin, ServiceIds.OwnersManual, CancellationToken.None) ? "not_entitled"
        : null;

    /// <summary>The section asked for, whatever the model (the answer checks the model; a visit of a car's own warning stays a visit).</summary>
    private ManualSection? Target(ManualLookup lookup) => lookup.TargetCase switch
    {
        ManualLookup.TargetOneofCase.SectionId => content.Sections.FirstOrDefault(s => s.Id == lookup.SectionId),
        ManualLookup.TargetOneofCase.WarningCode => content.Sections.FirstOrDefault(s => s.Warnings.Contains(lookup.WarningCode)),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not answer a manual lookup of vehicle {Vehicle}")]
    private static partial void LogAnswerFailed(ILogger logger, Exception exception, string vehicle);
}
