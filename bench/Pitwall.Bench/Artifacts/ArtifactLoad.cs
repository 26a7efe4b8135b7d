using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Pitwall.Bench.Artifacts;

/// <summary>What one download round moved: bytes, wall time from the first request to the last byte, and failures.</summary>
internal sealed record DownloadRound(long Bytes, double Seconds, int Failures)
{
    public double MegabytesPerSecond => Bytes / Seconds / (1024 * 1024);
}

/// <summary>
/// The clients of the artifact benchmark: downloaders that fetch a file in two byte ranges (the second resumes where the first
/// stopped, as an update client does after a broken download), reading and discarding the bytes; and pollers that ask their
/// DDI base resource at a fixed interval, spread over it.
/// </summary>
internal static class ArtifactLoad
{
    /// <param name="urlOf">The file's URL for downloader i.</param>
    public static async Task<DownloadRound> DownloadAsync(HttpClient http, int downloaders, long size, Func<int, string> urlOf, CancellationToken cancellationToken)
    {
        long bytes = 0;
        var failures = 0;
        var half = size / 2;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, downloaders).Select(async i =>
        {
            try
            {
                var first = await RangeAsync(http, urlOf(i), 0, half - 1, cancellationToken);
                var second = await RangeAsync(http, urlOf(i), first, null, cancellationToken);
                Interlocked.Add(ref bytes, first + second);
                if (first + second != size)
                {
                    Interlocked.Increment(ref failures);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                Interlocked.Increment(ref failures);
            }
        }));
        return new DownloadRound(bytes, Stopwatch.GetElapsedTime(started).TotalSeconds, failures);
    }

    /// <summary>One ranged GET (206 expected); the bytes read (from 0, also the offset the next range resumes at).</summary>
    private static async Task<long> RangeAsync(HttpClient http, string url, long from, long? to, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.PartialContent)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} for a range of {url}");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            long read = 0;
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                read += n;
            }
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Polls until cancelled; returns the polls answered 200 and the others.</summary>
    public static async Task<(long Ok, long Failed)> PollAsync(HttpClient http, IReadOnlyList<string> baseUrls, TimeSpan interval, CancellationToken cancellationToken)
    {
        long ok = 0, failed = 0;
        await Task.WhenAll(baseUrls.Select(async (url, i) =>
        {
            try
            {
                await Task.Delay(interval * i / baseUrls.Count, cancellationToken); // spread over the interval
                using var timer = new PeriodicTimer(interval);
                do
                {
                    try
                    {
                        using var response = await http.GetAsync(url, cancellationToken);
                        Interlocked.Increment(ref response.IsSuccessStatusCode ? ref ok : ref failed);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                while (await timer.WaitForNextTickAsync(cancellationToken));
            }
            catch (OperationCanceledException)
            {
            }
        }));
        return (ok, failed);
    }
}
