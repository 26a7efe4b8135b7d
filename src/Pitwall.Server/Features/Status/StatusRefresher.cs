using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Status;

/// <summary>How asking a car for fresh data ended.</summary>
public enum RefreshOutcome
{
    Answered,
    NotEntitled,
    PrivateMode,
    TimedOut,
}

/// <summary>
/// Asks a car for fresh data and waits until its answer is stored (or the timeout passes) — the one path for the API and
/// the portal, with the checks that come first: the car's packages cover Car Control, and it is not in private mode.
/// </summary>
public sealed class StatusRefresher(
    IVehicleLink link, Privacy.IServiceAccess access, IEntitlements entitlements, RefreshWaiters waiters, IOptions<StatusOptions> options, TimeProvider time)
{
    public TimeSpan Timeout => options.Value.RefreshTimeout;

    public async Task<RefreshOutcome> RefreshAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await entitlements.IsEntitledAsync(vin, ServiceIds.CarControl, cancellationToken))
        {
            return RefreshOutcome.NotEntitled;
        }
        if (!(await access.ForDataRequestAsync(vin, cancellationToken)).Allowed)
        {
            return RefreshOutcome.PrivateMode;
        }
        var requestId = Guid.NewGuid().ToString("N");
        var answered = waiters.Register(requestId);
        try
        {
            // Queued durably: a car that connects within the timeout still gets the request.
            await link.SendAsync(vin, new Envelope
            {
                SentAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                DataRequest = new DataRequest { RequestId = requestId },
            }, time.GetUtcNow() + Timeout, cancellationToken);
            await answered.WaitAsync(Timeout, time, cancellationToken);
            return RefreshOutcome.Answered;
        }
        catch (TimeoutException)
        {
            return RefreshOutcome.TimedOut;
        }
        finally
        {
            waiters.Forget(requestId);
        }
    }
}
