using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>Opens a theft case on request — the owner's report or an authority's — with its audit entry, the owner's notification
/// and the security centre's feed in one transaction, and the car told to track in it (at most one case per car is open).</summary>
public sealed class TheftCaseOpening(TheftConfiguration configuration, INotifier notifier, SocFeed feed, TimeProvider time)
{
    internal async Task<(TheftCase? Case, Refusal? Refusal)> OpenAsync(
        string vin, string source, Actor actor, string? ownerAccountId, string? authorityId, string? reference, string? circumstances, string what,
        CancellationToken cancellationToken)
    {
        // To the millisecond, as stored: the case returned is the one read back later.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var state = authorityId is null ? CaseStates.Open : CaseStates.HandedOver;
        var opened = new TheftCase(Guid.CreateVersion7(now).ToString(), vin, Guid.NewGuid().ToString(), source, TheftReasons.RemoteRequest, state, null,
            CaseUrgency.Of(TheftReasons.RemoteRequest, state, null, false), ownerAccountId, null, authorityId, reference, circumstances, 0, null, now, null, null,
            null, null, null, null, authorityId is null ? null : now, null);
        var created = await configuration.ChangeAsync(vin, async (c, t) =>
        {
            if (await TheftCaseStore.CountNotClosedAsync(c, t, vin) > 0)
            {
                return false;
            }
            await TheftCaseStore.InsertCaseAsync(c, t, opened);
            await TheftCaseStore.AuditAsync(c, t, opened.Id, actor, "opened", what + (reference is null ? "" : $" Reference {reference}."), now);
            await notifier.NotifyAsync(c, t, new Notification(vin, TheftNotifications.TheftCaseOpened.Id,
                NotificationText.Of(TheftNotifications.Reported), now, $"theft:{opened.Id}"));
            Database.AfterCommit(t, () => feed.Publish(new SocEvent("soc.case_opened", CaseSummaryResponse.From(opened), authorityId)));
            return true;
        }, CancellationToken.None);
        return created
            ? (opened, null)
            : (null, new(StatusCodes.Status409Conflict, CarSecurityErrorCodes.TheftCaseOpen, "The car has an open theft case already."));
    }
}
