using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pitwall.Bench;

/// <summary>
/// Where each command's round trip went, for finding stalls: when its POST went out and was answered, when its car read
/// the command frame, when the outcome arrived on the event stream (Stopwatch ticks; written as ms since the load began).
/// </summary>
internal static class CommandTimeline
{
    private static readonly ConcurrentDictionary<string, long> CarReceived = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<Row> Rows = new();
    private static readonly ConcurrentQueue<long> Pings = new();

    private readonly record struct Row(int Car, long Start, long Posted, long AtCar, long Done, string Outcome);

    /// <summary>The car read the command frame of <paramref name="commandId"/>.</summary>
    public static void AtCar(string commandId) => CarReceived.TryAdd(commandId, Stopwatch.GetTimestamp());

    /// <summary>A car answered a WebSocket ping (the server's keep-alive).</summary>
    public static void Ping() => Pings.Enqueue(Stopwatch.GetTimestamp());

    public static void Record(int car, string? commandId, long start, long posted, long done, string outcome)
    {
        var atCar = commandId is not null && CarReceived.TryRemove(commandId, out var at) ? at : 0;
        Rows.Enqueue(new Row(car, start, posted, atCar, done, outcome));
    }

    /// <summary>CSV: start_ms (since <paramref name="origin"/>), then post, car and done as ms after the start (empty when unknown).</summary>
    public static async Task WriteAsync(string path, long origin)
    {
        var originUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)Stopwatch.GetElapsedTime(origin).TotalMilliseconds;
        var csv = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"# load began at unix ms {originUnixMs}\nstart_ms,post_ms,car_ms,done_ms,car,outcome\n"));
        static string Ms(long from, long to) => to == 0 ? "" : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
        foreach (var row in Rows.OrderBy(r => r.Start))
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{Stopwatch.GetElapsedTime(origin, row.Start).TotalMilliseconds:F1},{Ms(row.Start, row.Posted)},{Ms(row.Start, row.AtCar)},{Ms(row.Start, row.Done)},{row.Car},{row.Outcome}\n");
        }
        await File.WriteAllTextAsync(path, csv.ToString());
        var pings = new StringBuilder("at_ms\n");
        foreach (var at in Pings)
        {
            pings.Append(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(origin, at).TotalMilliseconds:F1}\n");
        }
        await File.WriteAllTextAsync(System.IO.Path.ChangeExtension(path, ".pings.csv"), pings.ToString());
    }
}
