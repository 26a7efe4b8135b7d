namespace Pitwall.Simulator;

/// <summary>A car frame kept until the server acks it. The payload is an encoded Envelope without seq and sent_at.</summary>
internal sealed class BufferedFrame(ulong seq, byte[] payload, bool periodic)
{
    public ulong Seq { get; set; } = seq;
    public byte[] Payload { get; } = payload;
    /// <summary>Periodic reports are the first to go when the buffer is full; events are worth more.</summary>
    public bool Periodic { get; } = periodic;
    /// <summary>Written to some socket at least once (so the server may hold it and its seq is fixed).</summary>
    public bool Transmitted { get; set; }
}

/// <summary>
/// The car's outgoing frames in seq order, bounded, with a cursor at the next frame to put on the current
/// connection. Not thread-safe: the owning vehicle holds its lock.
/// </summary>
internal sealed class ResendBuffer(int capacity)
{
    private readonly LinkedList<BufferedFrame> _frames = new();
    private LinkedListNode<BufferedFrame>? _cursor;

    public int Count => _frames.Count;

    public bool HasUnsent => _cursor is not null;

    /// <returns>True when a frame had to be dropped to make room.</returns>
    public bool Add(BufferedFrame frame)
    {
        var dropped = false;
        if (_frames.Count >= capacity)
        {
            DropOne();
            dropped = true;
        }
        var node = _frames.AddLast(frame);
        _cursor ??= node;
        return dropped;
    }

    /// <summary>A cumulative ack: drops every frame with seq &lt;= <paramref name="seq"/>.</summary>
    /// <returns>How many frames were dropped.</returns>
    public int RemoveUpTo(ulong seq)
    {
        var removed = 0;
        while (_frames.First is { } first && first.Value.Seq <= seq)
        {
            Remove(first);
            removed++;
        }
        return removed;
    }

    /// <summary>The server rejected this frame for good (it will never ack it): it must not be resent.</summary>
    /// <returns>Whether it was buffered.</returns>
    public bool RemoveRejected(ulong seq)
    {
        for (var node = _frames.First; node is not null; node = node.Next)
        {
            if (node.Value.Seq == seq)
            {
                Remove(node);
                return true;
            }
        }
        return false;
    }

    /// <summary>A new connection starts sending from the oldest unacked frame.</summary>
    public void Rewind() => _cursor = _frames.First;

    public BufferedFrame? TakeNext()
    {
        if (_cursor is not { } node)
        {
            return null;
        }
        _cursor = node.Next;
        return node.Value;
    }

    /// <summary>Gives frames that never left the car fresh numbers from <paramref name="next"/> (they form the tail).</summary>
    public void RenumberUntransmitted(Func<ulong> next)
    {
        for (var node = _frames.First; node is not null; node = node.Next)
        {
            if (!node.Value.Transmitted)
            {
                node.Value.Seq = next();
            }
        }
    }

    private void DropOne()
    {
        var victim = _frames.First!;
        for (var node = _frames.First; node is not null; node = node.Next)
        {
            if (node.Value.Periodic)
            {
                victim = node;
                break;
            }
        }
        Remove(victim);
    }

    private void Remove(LinkedListNode<BufferedFrame> node)
    {
        if (_cursor == node)
        {
            _cursor = node.Next;
        }
        _frames.Remove(node);
    }
}
