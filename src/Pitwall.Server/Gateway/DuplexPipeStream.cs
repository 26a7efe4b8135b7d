using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Pitwall.Server.Gateway;

/// <summary>A connection's two pipes as one stream, which is what <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/> takes.</summary>
/// <param name="disposed">Called when the stream is disposed: a WebSocket that aborts (keep-alive timeout, a car that
/// does not read) disposes its stream and relies on that to end the pending read.</param>
internal sealed class DuplexPipeStream(IDuplexPipe pipe, Action disposed) : Stream
{
    private readonly Stream _output = pipe.Output.AsStream(leaveOpen: true);

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// As <see cref="PipeReader.AsStream"/>'s stream reads, but its state machine is pooled: the WebSocket's read that waits for
    /// a car's next frame is an object per frame otherwise (issue 17).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await pipe.Input.ReadAsync(cancellationToken);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The read was canceled.");
        }
        var sequence = result.Buffer;
        var consumed = sequence.Start;
        try
        {
            if (!sequence.IsEmpty)
            {
                var slice = sequence.Slice(0, Math.Min(sequence.Length, buffer.Length));
                consumed = slice.End;
                slice.CopyTo(buffer.Span);
                return (int)slice.Length;
            }
            if (result.IsCompleted)
            {
                return 0;
            }
        }
        finally
        {
            pipe.Input.AdvanceTo(consumed);
        }
        throw new InvalidOperationException("The pipe returned no data, though neither completed nor canceled.");
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.WriteAsync(buffer, offset, count, cancellationToken);
    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            disposed();
        }
        base.Dispose(disposing);
    }

    // The link is asynchronous throughout; blocking calls would hold a pool thread per car.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
