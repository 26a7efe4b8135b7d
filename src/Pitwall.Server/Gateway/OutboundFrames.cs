using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

/// <summary>
/// The cloud frames waiting to go out to one car, and the pump that writes them in order. Nothing runs and nothing waits
/// while no frame is queued: the pump is started by the frame that finds the queue idle and ends when it has emptied it,
/// so an idle link holds no send loop, no channel and no pending read of a queue (bench/README.md §2).
/// </summary>
internal sealed class OutboundFrames(WebSocket socket, int limit, Action abort)
{
    private readonly Queue<Envelope> _queue = new();
    // Frames of a hello's resend of the outbox at the head of the queue: already read into memory, so they do not count
    // against the limit, which is there for a car that stops reading.
    private int _backlog;
    private bool _pumping;
    private bool _completed;
    private TaskCompletionSource? _done;

    /// <returns>False when the car already has <c>limit</c> frames waiting (it does not read them); true otherwise,
    /// also when the queue was completed and the frame dropped.</returns>
    public bool TrySend(Envelope frame)
    {
        lock (_queue)
        {
            if (_completed)
            {
                return true;
            }
            if (_queue.Count - _backlog >= limit)
            {
                return false;
            }
            _queue.Enqueue(frame);
            StartPumpLocked();
            return true;
        }
    }

    /// <summary>
    /// An ack, written to the socket from the calling thread when nothing else is being sent to this car (the common case:
    /// no pump is woken, no frame object made); else queued behind what is waiting, like any frame.
    /// </summary>
    /// <returns>As <see cref="TrySend"/>.</returns>
    public bool TrySendAck(ulong upToSeq, long sentAtMs)
    {
        lock (_queue)
        {
            if (_completed)
            {
                return true;
            }
            if (_pumping)
            {
                if (_queue.Count - _backlog >= limit)
                {
                    return false;
                }
                _queue.Enqueue(new Envelope { SentAtMs = sentAtMs, Ack = new Ack { UpToSeq = upToSeq } });
                return true;
            }
            _pumping = true; // this thread sends now; whatever is queued meanwhile waits for it, then goes with a pump
        }
        var buffer = ArrayPool<byte>.Shared.Rent(AckFrames.MaxLength);
        ValueTask sending;
        try
        {
            sending = socket.SendAsync(buffer.AsMemory(0, AckFrames.Write(buffer, upToSeq, sentAtMs)), WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Failed();
            return true;
        }
        if (!sending.IsCompleted)
        {
            _ = FinishAckThenPumpAsync(sending, buffer);
            return true;
        }
        ArrayPool<byte>.Shared.Return(buffer);
        if (!sending.IsCompletedSuccessfully)
        {
            Observe(sending);
            Failed();
            return true;
        }
        lock (_queue)
        {
            if (_queue.Count == 0 && !_completed)
            {
                _pumping = false;
                return true;
            }
        }
        ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.PumpAsync(), this, preferLocal: false); // still _pumping
        return true;
    }

    private async Task FinishAckThenPumpAsync(ValueTask sending, byte[] buffer)
    {
        try
        {
            await sending;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Failed();
            return;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer); // only now: a send that waited may read it until it completes
        }
        await PumpAsync(); // _pumping is still set: the frames queued meanwhile, and the close once completed
    }

    private static void Observe(ValueTask failed)
    {
        try
        {
            failed.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Handled by the caller as a failed send.
        }
    }

    /// <summary>Queues frames already held in memory (a hello's resend of the outbox), whatever their number.</summary>
    public void SendBacklog(IReadOnlyCollection<Envelope> frames)
    {
        lock (_queue)
        {
            if (_completed || frames.Count == 0)
            {
                return;
            }
            foreach (var frame in frames)
            {
                _queue.Enqueue(frame);
            }
            _backlog += frames.Count;
            StartPumpLocked();
        }
    }

    /// <summary>
    /// Takes no more frames: what is queued is sent, then the socket's output is closed (with <c>PolicyViolation</c> after an
    /// error frame, except <c>Replaced</c>). The task completes when that is done or has failed; it never throws.
    /// </summary>
    public Task Complete()
    {
        lock (_queue)
        {
            if (_done is null)
            {
                _completed = true;
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                StartPumpLocked();
            }
            return _done.Task;
        }
    }

    private void StartPumpLocked()
    {
        if (!_pumping)
        {
            _pumping = true;
            // Off the caller's thread (the ingest writer's, an API request's), as the send loop was.
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.PumpAsync(), this, preferLocal: false);
        }
    }

    private async Task PumpAsync()
    {
        var closeStatus = WebSocketCloseStatus.NormalClosure;
        try
        {
            while (true)
            {
                Envelope? frame;
                lock (_queue)
                {
                    if (!_queue.TryDequeue(out frame))
                    {
                        if (!_completed)
                        {
                            _queue.TrimExcess(); // an idle link keeps no array of frames that went out long ago
                            _pumping = false;
                            return;
                        }
                        break;
                    }
                    if (_backlog > 0)
                    {
                        _backlog--;
                    }
                }
                if (frame.PayloadCase == Envelope.PayloadOneofCase.Error)
                {
                    closeStatus = frame.Error.Code == ProtocolError.Types.Code.Replaced ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.PolicyViolation;
                }
                await socket.SendAsync(frame.ToByteArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
            }
            // Completed and sent: after an error, or because the receive loop ended.
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(closeStatus, null, timeout.Token);
            }
            // The receive loop ends when the car answers the close; aborting the socket could cut off the frames just
            // sent, so give the car a moment first.
            _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(static (_, a) => ((Action)a!)(), abort, TaskScheduler.Default);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            abort();
        }
        Ended();
    }

    /// <summary>A send failed: the connection is aborted and nothing more goes out on it.</summary>
    private void Failed()
    {
        abort();
        Ended();
    }

    private void Ended()
    {
        TaskCompletionSource done;
        lock (_queue)
        {
            // Also after a failed send: nothing more goes out on this socket.
            _completed = true;
            _queue.Clear();
            _backlog = 0;
            done = _done ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }
}
