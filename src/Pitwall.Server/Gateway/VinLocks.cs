namespace Pitwall.Server.Gateway;

/// <summary>
/// Striped per-VIN locks: queuing a cloud frame and pushing it to the live session happen under the car's lock, as
/// does a hello's resend of pending frames, so a car always receives cloud frames in seq order.
/// </summary>
internal sealed class VinLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> AcquireAsync(string vin, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(StringComparer.Ordinal.GetHashCode(vin) & 0x7fffffff) % _stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
