using Microsoft.Extensions.Options;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Status;

/// <summary>
/// Asks a car for fresh data and waits until its answer is stored (or the timeout passes) — the one path for the API and
/// the portal, behind the vehicle-service gate (Car Control as a data request: the packages, and not in private mode).
/// </summary>
public sealed class StatusRefresher(IVehicleLink link, RefreshWaiters waiters, IOptions<StatusOptions> options, TimeProvider time)
{
    public TimeSpan Timeout => options.Value.RefreshTimeout;

    /// <returns>True when the car answered within <see cref="Timeout"/>.</returns>
    public async Task<bool> RefreshAsync(string vin, CancellationToken cancellationToken)
    {
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
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            waiters.Forget(requestId);
        }
    }
}
