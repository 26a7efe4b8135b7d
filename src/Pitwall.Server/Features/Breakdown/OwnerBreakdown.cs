using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// The driver's side of the breakdown call (F2): calling from the app (the platform asks the car for its snapshot, a data request),
/// the consent answers for the call, given and withdrawn at any time (P5: withdrawal ends further sharing), and the calls with their
/// progress. The caller has passed the vehicle-service gate; <c>since</c> is when the account got the car (it sees the calls from then on).
/// </summary>
internal sealed class OwnerBreakdown(
    AssistanceCaseStore store, Database database, BreakdownConsents consents, DealerChoice dealers, IVehicleDirectory vehicles, IVehicleLink link,
    INotifier notifier, AssistanceFeed feed, TimeProvider time) : IBreakdownCalls
{
    private static readonly Refusal CallNotFound = Refusal.NotFound("No such breakdown call of this car.");
    private static readonly Refusal CallOpen = Refusal.Conflict(BreakdownErrorCodes.BreakdownCallOpen, "The car has a breakdown call open already.");

    /// <summary>How long the data request waits for a car that is offline.</summary>
    public static readonly TimeSpan DataRequestLifetime = TimeSpan.FromMinutes(30);

    public async Task<IReadOnlyList<DriverCallResponse>> ListAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var calls = new List<DriverCallResponse>();
        foreach (var k in await store.ForVehicleAsync(vin, since, cancellationToken))
        {
            calls.Add(CaseViews.Driver(k, await consents.OfAsync(k, cancellationToken), []));
        }
        return calls;
    }

    public async Task<(DriverCallResponse? Call, Refusal? Refusal)> GetAsync(string vin, DateTimeOffset since, string id, CancellationToken cancellationToken) =>
        await FindAsync(vin, since, id, cancellationToken) is { } k
            ? (CaseViews.Driver(k, await consents.OfAsync(k, cancellationToken), await store.EventsAsync(k.Id, cancellationToken)), null)
            : (null, CallNotFound);

    public async Task<(DriverCallResponse? Call, Refusal? Refusal)> StartAsync(
        string accountId, string vin, DateTimeOffset since, StartBreakdownCallRequest request, CancellationToken cancellationToken)
    {
        if (request.CallbackNumber is { Length: > 32 })
        {
            return (null, Refusal.Invalid("callbackNumber", "At most 32 characters."));
        }
        var dealer = request.Dealer == true ? await dealers.ResolveAsync(vin, request.DealerId, cancellationToken) : null;
        if (request.Dealer == true && dealer is null)
        {
            return (null, Refusal.Invalid("dealerId", "A dealer of the directory (empty: your preferred dealer, when you chose one)."));
        }
        if ((await store.ForVehicleAsync(vin, DateTimeOffset.MinValue, cancellationToken)).Any(k => k.Kind == CaseKind.Breakdown && !k.IsClosed))
        {
            return (null, CallOpen);
        }
        var now = time.GetUtcNow();
        var id = AssistanceCase.NewId(CaseKind.Breakdown, now);
        var k = new AssistanceCase
        {
            Id = id, Vin = vin, AccountId = accountId, Source = "app", CallId = id, State = CaseStates.Requested, OpenedAt = now.ToUnixTimeMilliseconds(),
            UpdatedAt = now.ToUnixTimeMilliseconds(), Model = (await vehicles.FindAsync(vin, cancellationToken))?.Model,
            CallbackNumber = string.IsNullOrWhiteSpace(request.CallbackNumber) ? null : request.CallbackNumber.Trim(), DealerId = dealer?.Id,
        };
        await link.SendWithAsync(vin, async (c, t, enqueue) =>
        {
            await AssistanceCaseStore.OpenAsync(c, t, k);
            await AssistanceCaseStore.AddEventAsync(c, t, CaseKind.Breakdown, BreakdownCallHandler.Event(k, CaseEventKinds.Opened, "driver", "Breakdown call from the app."));
            await enqueue(new Envelope { BreakdownDataRequest = new BreakdownDataRequest { CallId = id } }, now + DataRequestLifetime);
            await notifier.NotifyAsync(c, t, new Notification(vin, BreakdownNotifications.Received.Id,
                NotificationText.Of(BreakdownNotifications.BreakdownReceived), now, id + ":received"));
            return true;
        }, cancellationToken);
        await RecordConsentAsync(accountId, k, request.Assistance, request.Position, request.Dealer, cancellationToken);
        feed.Publish(new AssistanceEvent("assistance.case_opened", new { id, kind = "breakdown" }));
        return await GetAsync(vin, since, id, cancellationToken);
    }

    /// <summary>The driver's consent answers for one call: null leaves one as it is.</summary>
    public async Task<(DriverCallResponse? Call, Refusal? Refusal)> ConsentAsync(
        string accountId, string vin, DateTimeOffset since, string id, BreakdownConsentRequest request, CancellationToken cancellationToken)
    {
        if (await FindAsync(vin, since, id, cancellationToken) is not { Kind: CaseKind.Breakdown } k)
        {
            return (null, CallNotFound);
        }
        if (request.Dealer == true)
        {
            if (await dealers.ResolveAsync(vin, request.DealerId ?? k.DealerId, cancellationToken) is not { } dealer)
            {
                return (null, Refusal.Invalid("dealerId", "A dealer of the directory (empty: your preferred dealer, when you chose one)."));
            }
            k.DealerId = dealer.Id;
            k.UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            await database.WriteAsync((c, t) => AssistanceCaseStore.UpdateAsync(c, t, k, "dealer_id = @DealerId"), cancellationToken);
        }
        await RecordConsentAsync(accountId, k, request.Assistance, request.Position, request.Dealer, cancellationToken);
        feed.Publish(new AssistanceEvent("assistance.case_updated", new { id, kind = "breakdown" }));
        return await GetAsync(vin, since, id, cancellationToken);
    }

    private async Task RecordConsentAsync(string accountId, AssistanceCase k, bool? assistance, bool? position, bool? dealer, CancellationToken cancellationToken)
    {
        var changes = await consents.SetAsync(accountId, k, assistance, position, dealer, "app", cancellationToken);
        if (changes.Count > 0)
        {
            k.UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            await database.WriteAsync((c, t) => AssistanceCaseStore.AddEventAsync(c, t, CaseKind.Breakdown,
                BreakdownCallHandler.Event(k, CaseEventKinds.Consent, "driver", string.Join("; ", changes))), cancellationToken);
        }
    }

    private async Task<AssistanceCase?> FindAsync(string vin, DateTimeOffset since, string id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } k && k.Vin == vin && k.OpenedAt >= since.ToUnixTimeMilliseconds() ? k : null;
}
