using System.Data.Common;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Commands;

/// <summary>
/// Moves commands along: accepted → sent (one per car at a time, in order, through the durable outbox, so an offline car
/// gets it when it connects) → performed | failed from the car's result → the next one; tells the app at each step.
/// </summary>
public sealed partial class CommandDispatcher(
    CommandStore store, IVehicleLink link, LiveEventHub hub, IEnumerable<ICommandOutcomeListener> listeners, UsageStatistics.UsageStatistics usage,
    Privacy.IServiceAccess services, System.Diagnostics.Metrics.IMeterFactory meters,
    TimeProvider time, ILogger<CommandDispatcher> logger)
    : IVehicleMessageHandler, Vehicles.IVehicleAccessListener
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.CommandResult;

    /// <summary>Stores a new command and, when the car has none in flight, hands it over in the same transaction.</summary>
    /// <returns>The command as stored (or the earlier one with the same idempotency key) and whether it is new.</returns>
    public async Task<(CommandRecord Command, bool Created)> AcceptAsync(CommandRecord command, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (stored, created, sent) = await link.SendWithAsync(command.Vin, async (c, t, enqueue) =>
        {
            var (earlier, open) = await store.BeforeInsertAsync(c, t, command.AccountId, command.Vin, idempotencyKey, now);
            if (earlier is not null)
            {
                return (earlier, false, (CommandRecord?)null);
            }
            if (!open)
            {
                // Nothing ahead of it: into the outbox at once, and stored as sent (one write of the command, not two).
                var seq = await enqueue(Frame(command, now), command.ExpiresAt);
                var handedOver = command with { State = CommandStates.Sent, SentAt = now };
                await CommandStore.InsertAsync(c, t, handedOver, idempotencyKey, seq);
                return (handedOver, true, handedOver);
            }
            await CommandStore.InsertAsync(c, t, command, idempotencyKey, null);
            return (command, true, await SendNextAsync(c, t, command.Vin, now, enqueue));
        }, cancellationToken);
        var current = sent?.Id == stored.Id ? sent : stored;
        if (created)
        {
            Publish(current); // accepted, or already sent: one event for the state the app will read
        }
        if (sent is not null && sent.Id != stored.Id)
        {
            Publish(sent);
        }
        return (current, created);
    }

    /// <summary>Hands the car its next command: state and outbox frame commit together, so neither exists without the other.</summary>
    /// <param name="waiting">Known to have a command waiting (so no read first to find out).</param>
    public async Task DispatchAsync(string vin, CancellationToken cancellationToken, bool waiting = false)
    {
        var now = time.GetUtcNow();
        if (!waiting && !await store.HasWaitingAsync(vin, now, cancellationToken))
        {
            return;
        }
        var sent = await link.SendWithAsync(vin, (c, t, enqueue) => SendNextAsync(c, t, vin, now, enqueue), cancellationToken);
        if (sent is not null)
        {
            Publish(sent);
        }
    }

    private async Task<CommandRecord?> SendNextAsync(DbConnection c, DbTransaction t, string vin, DateTimeOffset now, EnqueueFrame enqueue)
    {
        if (await store.NextToSendAsync(c, t, vin, now) is not { } command)
        {
            return null;
        }
        var seq = await enqueue(Frame(command, now), command.ExpiresAt);
        await CommandStore.MarkSentAsync(c, t, command.Id, seq, now);
        return command with { State = CommandStates.Sent, SentAt = now };
    }

    private static Envelope Frame(CommandRecord command, DateTimeOffset now)
    {
        var frame = new Command
        {
            CommandId = command.Id,
            Type = command.Type,
            ExpiresAtMs = command.ExpiresAt.ToUnixTimeMilliseconds(),
            RequestedBy = command.AccountId,
        };
        foreach (var (key, value) in command.Parameters)
        {
            frame.Parameters[key] = value;
        }
        return new Envelope { SentAtMs = now.ToUnixTimeMilliseconds(), Command = frame };
    }

    /// <summary>Access ended: open commands of those users end too, and the car never receives the ones still queued.</summary>
    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        var seqs = await CommandStore.RevokeAsync(connection, transaction, vin, accountId, time.GetUtcNow());
        await link.RetractAsync(connection, transaction, vin, seqs);
    }

    public void Publish(CommandRecord command) =>
        hub.Publish(new LiveEvent(command.Vin, "vehicle.command",
            new { vin = command.Vin, id = command.Id, type = command.Type, state = command.State, reason = command.Reason }, time.GetUtcNow()));

    // Results arrive through the ingest writer, in the same transaction as the car's dedup mark: exactly once.
    private readonly List<CommandRecord> _completed = [];
    private readonly CommandMetrics _metrics = new(meters);
    private readonly HashSet<string> _nextWaiting = new(StringComparer.Ordinal);
    private readonly ICommandOutcomeListener[] _listeners = [.. listeners];

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        _completed.Clear();
        _nextWaiting.Clear();
        var now = time.GetUtcNow();
        foreach (var message in messages)
        {
            var result = message.Envelope.CommandResult;
            var performed = result.Outcome == CommandResult.Types.Outcome.Performed;
            var reason = string.IsNullOrEmpty(result.Reason) ? "failed" : result.Reason[..Math.Min(result.Reason.Length, 100)];
            // What the car answers while its switches forbid the command's service is not taken from it: the command
            // ends failed with the switches' reason, and nothing the car claims to have done is recorded.
            // Usually the switches allow every command's service, and the outcome does not depend on the command's type.
            var anyType = CommandCatalog.Types.Values.All(known => services.ForRemoteControl(known.Service, message.Privacy).Allowed);
            if (await CommandStore.CompleteAsync(connection, transaction, message.Vin, result.CommandId, type =>
                    CommandCatalog.Types.TryGetValue(type, out var known) && services.ForRemoteControl(known.Service, message.Privacy) is { Allowed: false } verdict
                        ? (false, verdict.Code)
                        : (performed, reason), anyType, now) is not { } completed)
            {
                continue;
            }
            _completed.Add(completed);
            if (completed.State == CommandStates.Performed)
            {
                foreach (var listener in _listeners)
                {
                    await listener.OnPerformedAsync(connection, transaction, completed);
                }
            }
        }
        // Whether each car's next command waits is asked here, on the writer's connection, in one query for the batch's cars,
        // rather than by a read per result later.
        _nextWaiting.UnionWith(await store.WithWaitingAsync(connection, transaction, [.. _completed.Select(c => c.Vin).Distinct(StringComparer.Ordinal)], now));
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        foreach (var command in _completed)
        {
            Publish(command);
            _metrics.Ended(command);
            usage.Record(CommandCatalog.Types[command.Type].Service, UsageStatistics.UsageChannel.Car); // C8: the car's answer is a use too
        }
        foreach (var vin in _nextWaiting)
        {
            // Off the ingest writer's path; the expiry job's sweep hands over anything this misses.
            _ = Task.Run(async () =>
            {
                try
                {
                    await DispatchAsync(vin, CancellationToken.None, waiting: true);
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
                {
                    LogDispatchFailed(logger, e);
                }
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing the next command to a car failed; the command job retries")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
