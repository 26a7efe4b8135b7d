using System.Text;

namespace Pitwall.Simulator.Cli;

/// <summary>A thread-safe writer that keeps the last few lines, for showing inside the live display (writing to the
/// console directly would tear it).</summary>
internal sealed class RecentLinesWriter(int capacity) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            switch (value)
            {
                case '\n':
                    Complete();
                    break;
                case '\r':
                    break;
                default:
                    _partial.Append(value);
                    break;
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _partial.Append(value);
            Complete();
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }

    private void Complete()
    {
        _lines.Enqueue(_partial.ToString());
        _partial.Clear();
        while (_lines.Count > capacity)
        {
            _lines.Dequeue();
        }
    }
}
