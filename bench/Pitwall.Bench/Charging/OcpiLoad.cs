using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Pitwall.Bench.Charging;

/// <summary>What a load run measured: requests answered as expected, the latency percentiles in ms, failures, the seconds it took.</summary>
internal sealed record LoadResult(long Count, double P50, double P99, double Max, long Failed, double Seconds);

/// <summary>The charge point operator's side of the load: OCPI requests with the partner's token C over a pool of HTTP/1.1
/// connections to loopback.</summary>
internal static class OcpiLoad
{
    public static HttpClient Client(Uri baseUrl)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", Convert.ToBase64String(Encoding.UTF8.GetBytes(ChargingData.TokenC)));
        return http;
    }

    /// <summary>Open loop: request i is due at start + i / rate, and its latency counts from then (a late send is the server's wait
    /// too). Warm-up requests are sent and not counted. A request fails on an HTTP error or when <paramref name="accept"/> rejects
    /// the body.</summary>
    public static async Task<LoadResult> OpenLoopAsync(
        HttpClient http, Func<HttpRequestMessage> make, double rate, TimeSpan warmup, TimeSpan duration, Func<string, bool> accept)
    {
        var histogram = new LatencyHistogram();
        long failed = 0;
        double max = 0;
        var total = (long)((warmup + duration).TotalSeconds * rate);
        var warm = (long)(warmup.TotalSeconds * rate);
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>();
        for (long i = 0; i < total; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            var counted = i >= warm;
            var request = make();
            inFlight.Add(Task.Run(async () =>
            {
                var ok = false;
                try
                {
                    using var response = await http.SendAsync(request);
                    ok = response.IsSuccessStatusCode && accept(await response.Content.ReadAsStringAsync());
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                finally
                {
                    request.Dispose();
                }
                var latency = Stopwatch.GetElapsedTime(due);
                if (!counted)
                {
                    return;
                }
                if (ok)
                {
                    histogram.Record(latency);
                    InterlockedMax(ref max, latency.TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }));
            if (inFlight.Count > 4096)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
        await Task.WhenAll(inFlight);
        return new(histogram.Count, histogram.Percentile(0.5), histogram.Percentile(0.99), max, failed, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Closed loop: <paramref name="count"/> requests, <paramref name="concurrency"/> in flight; a request counts when answered
    /// with <paramref name="expected"/>.</summary>
    public static async Task<LoadResult> ClosedLoopAsync(HttpClient http, int count, int concurrency, Func<HttpRequestMessage> make, HttpStatusCode expected)
    {
        var histogram = new LatencyHistogram();
        long failed = 0;
        var remaining = count;
        double max = 0;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                using var request = make();
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == expected)
                    {
                        var latency = Stopwatch.GetElapsedTime(sent);
                        histogram.Record(latency);
                        InterlockedMax(ref max, latency.TotalMilliseconds);
                        continue;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                Interlocked.Increment(ref failed);
            }
        })));
        return new(histogram.Count, histogram.Percentile(0.5), histogram.Percentile(0.99), max, failed, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private static void InterlockedMax(ref double target, double value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
