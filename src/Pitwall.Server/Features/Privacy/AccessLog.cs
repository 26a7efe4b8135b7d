using System.Security.Claims;
using System.Threading.Channels;
using Dapper;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Privacy;

public sealed class AccessLogOptions
{
    public const string Section = "Pitwall:AccessLog";

    /// <summary>False records no request at all (the table stays empty).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Entries waiting to be written; when full, new entries are dropped (and counted) rather than slowing requests.</summary>
    public int QueueLength { get; set; } = 10_000;

    /// <summary>Entries written per transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long entries gather before they are written (unless a batch is full, a flush is asked for, or the server stops):
    /// one transaction for some hundred requests instead of one for every one or two. Each write costs the database's one
    /// writer a transaction and a fresh page of the table and of each of its indexes (issue 17). Zero writes at once.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>One request, as the access log keeps it: no path, no query, no body, no header but the client address.</summary>
internal readonly record struct AccessLogEntry(
    long OccurredAt, string ClientIp, string Method, string Route, int Status, int DurationMs, string? AccountId);

/// <summary>
/// The API and portal access log (REQUIREMENTS H6, 30 days): a request hands its entry to a bounded queue and goes on;
/// one writer stores the entries in batches (DESIGN §3.8). A full queue or a failing database drops entries (counted
/// and logged) — logging never blocks or fails a request.
/// </summary>
public sealed partial class AccessLog : BackgroundService
{
    /// <summary>Paths not logged: the car link (its logins are in vehicle_logins), health probes, static assets and map
    /// tiles (a dozen or more per map shown, each a static image to the user).</summary>
    private static readonly string[] Excluded = ["/vehicle", "/health", "/static", "/tiles"];

    private readonly Channel<AccessLogEntry> _queue;
    private readonly Database _database;
    private readonly DayPartitions _partitions;
    private readonly ILogger<AccessLog> _logger;
    private readonly int _batchSize;
    private readonly TimeSpan _linger;
    // Completed to end the writer's linger early (a flush waits).
    private TaskCompletionSource _hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _accepted;
    private long _processed;
    private long _dropped;
    private TaskCompletionSource _batchDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Accounts erased lately, with when: requests of theirs still in flight are written without the account.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _erased = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public AccessLog(IOptions<AccessLogOptions> options, Database database, DayPartitions partitions, TimeProvider time, ILogger<AccessLog> logger)
    {
        _time = time;
        _database = database;
        _partitions = partitions;
        _logger = logger;
        _batchSize = options.Value.BatchSize;
        _linger = options.Value.Linger;
        // Wait mode only so that TryWrite says "full"; nobody ever waits on it.
        _queue = Channel.CreateBounded<AccessLogEntry>(new BoundedChannelOptions(options.Value.QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public static bool IsLogged(PathString path) => !Excluded.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Queues an entry; false (and counted) when the queue is full.</summary>
    internal bool Record(AccessLogEntry entry)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _accepted);
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>
    /// Unlinks an erased account: entries of its requests still queued or in flight (the erasing request among them) are
    /// written without it, and those already written lose it. Kept in memory for a day, longer than any request lasts.
    /// </summary>
    public async Task ForgetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        _erased[accountId] = _time.GetUtcNow();
        await FlushAsync(cancellationToken);
        await _database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE access_log SET account_id = NULL WHERE account_id = @accountId", new { accountId }, t), cancellationToken);
    }

    /// <summary>Completes when the writer next finishes a batch (for tests: take it, look, and wait on it if not there yet).</summary>
    internal Task NextBatchAsync() => Volatile.Read(ref _batchDone).Task;

    /// <summary>Waits until every entry queued before the call has been written (or given up on).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _accepted);
        while (true)
        {
            var batchDone = NextBatchAsync();
            if (Interlocked.Read(ref _processed) >= target)
            {
                return;
            }
            Volatile.Read(ref _hurry).TrySetResult(); // the writer's linger ends: what is queued is written now
            await batchDone.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await LingerAsync(stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                {
                    break; // StopAsync writes what is queued
                }
                await WriteBatchAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Lets entries gather for <see cref="AccessLogOptions.Linger"/>, unless a batch is already full or a flush asks
    /// for them. Real time, not the server's clock: a pause for batching, not a time anything is judged by.</summary>
    private async Task LingerAsync(CancellationToken stoppingToken)
    {
        if (_linger <= TimeSpan.Zero || _queue.Reader.Count >= _batchSize)
        {
            return;
        }
        var hurry = Volatile.Read(ref _hurry);
        if (!hurry.Task.IsCompleted)
        {
            await Task.WhenAny(Task.Delay(_linger, stoppingToken), hurry.Task);
        }
        if (hurry.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _hurry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), hurry);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What was queued since the last batch.
        while (_queue.Reader.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            await WriteBatchAsync(cancellationToken);
        }
    }

    private async Task WriteBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new List<AccessLogEntry>(Math.Min(_batchSize, _queue.Reader.Count));
        while (batch.Count < _batchSize && _queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }
        try
        {
            foreach (var day in batch.Select(e => DayPartitions.DayOf(e.OccurredAt)).Distinct())
            {
                await _partitions.EnsureAsync("access_log", "occurred_at", day, cancellationToken);
            }
            await _database.WriteAsync(async (c, t) =>
            {
                await using var insert = BatchCommand.Create(c, t,
                    "INSERT INTO access_log (occurred_at, client_ip, method, route, status, duration_ms, account_id) VALUES (@at, @ip, @method, @route, @status, @duration, @account)",
                    "at", "ip", "method", "route", "status", "duration", "account");
                foreach (var e in batch)
                {
                    var account = e.AccountId is not null && _erased.ContainsKey(e.AccountId) ? null : e.AccountId;
                    await insert.ExecuteAsync(e.OccurredAt, e.ClientIp, e.Method, e.Route, e.Status, e.DurationMs, account);
                }
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A security log is best effort: losing entries is logged, never passed on to the requests.
            LogWriteFailed(_logger, e, batch.Count);
        }
        finally
        {
            Interlocked.Add(ref _processed, batch.Count);
            Interlocked.Exchange(ref _batchDone, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
        foreach (var (account, at) in _erased)
        {
            if (_time.GetUtcNow() - at > TimeSpan.FromDays(1))
            {
                _erased.TryRemove(account, out _);
            }
        }
        if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
        {
            LogDropped(_logger, dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the access log failed; {Count} entries lost")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The access log queue was full; {Count} entries dropped")]
    private static partial void LogDropped(ILogger logger, long count);
}

/// <summary>
/// Outermost middleware: times the request and, once it has ended, hands the access log an entry with the client address,
/// method, route template (never the raw path, which holds VINs and ids), status, duration and signed-in account.
/// Requests that no route matched are logged as <see cref="Unrouted"/>.
/// </summary>
internal sealed class AccessLogMiddleware(RequestDelegate next, AccessLog log, TimeProvider time)
{
    public const string Unrouted = "(unrouted)";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!AccessLog.IsLogged(context.Request.Path))
        {
            await next(context);
            return;
        }
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var endpoint = new FirstEndpointFeature(context, context.Features.Get<IEndpointFeature>());
        context.Features.Set<IEndpointFeature>(endpoint);
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            log.Record(new AccessLogEntry(
                startedAt.ToUnixTimeMilliseconds(),
                ClientIpOf(context),
                context.Request.Method.Length <= 16 ? context.Request.Method : context.Request.Method[..16],
                RouteOf(endpoint.Routed),
                failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode,
                (int)Math.Min(int.MaxValue, time.GetElapsedTime(started).TotalMilliseconds),
                context.User.FindFirstValue(PitwallClaims.AccountId)));
        }
    }

    internal static string ClientIpOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";

    internal static string RouteOf(Endpoint? endpoint) =>
        endpoint is RouteEndpoint { RoutePattern.RawText: { } template } ? "/" + template.TrimStart('/') : Unrouted;

    /// <summary>
    /// Remembers the endpoint routing first chose. Error pages re-execute the pipeline (clearing the endpoint, then routing
    /// to the error page): the log names the route that was asked for, or none when nothing matched.
    /// </summary>
    private sealed class FirstEndpointFeature(HttpContext context, IEndpointFeature? inner) : IEndpointFeature
    {
        private Endpoint? _own;
        private bool _assigned;

        public Endpoint? Routed { get; private set; }

        public Endpoint? Endpoint
        {
            get => inner is null ? _own : inner.Endpoint;
            set
            {
                if (!_assigned)
                {
                    if (context.Features.Get<IStatusCodeReExecuteFeature>() is { } reExecuted)
                    {
                        _assigned = true;
                        Routed = reExecuted.Endpoint;
                    }
                    else if (context.Features.Get<IExceptionHandlerPathFeature>() is { } handled)
                    {
                        _assigned = true;
                        Routed = handled.Endpoint;
                    }
                    else if (value is not null)
                    {
                        _assigned = true;
                        Routed = value;
                    }
                }
                if (inner is null)
                {
                    _own = value;
                }
                else
                {
                    inner.Endpoint = value;
                }
            }
        }
    }
}
