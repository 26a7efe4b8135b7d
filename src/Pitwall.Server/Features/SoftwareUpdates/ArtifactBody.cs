using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// The response body of an artifact download on Kestrel, which has no sendfile (dotnet/aspnetcore#18093): ASP.NET Core's
/// fallback copies a file in 16 KiB pieces, each an asynchronous read handed to the thread pool, a copy into the response's
/// buffers and a flush. This reads <see cref="ChunkBytes"/> at a time (<c>pread</c>, from the page cache while many cars fetch
/// the same artifact) straight into the response's buffers and flushes once per piece: 1.5 instead of 2.4 CPU seconds per GiB
/// on the benchmark (bench/README.md §7). Ranges, entity tags and headers stay with the file result; only
/// <see cref="SendFileAsync"/> differs from the server's own body.
/// </summary>
internal sealed class ArtifactBody(IHttpResponseBodyFeature inner) : IHttpResponseBodyFeature
{
    /// <summary>The bytes read and flushed per step.</summary>
    public const int ChunkBytes = 128 * 1024;

    public Stream Stream => inner.Stream;

    public PipeWriter Writer => inner.Writer;

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task CompleteAsync() => inner.CompleteAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(file);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, length);
        var end = count is { } c ? offset + c : length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, length, nameof(count));
        await inner.StartAsync(cancellationToken);
        var writer = inner.Writer;
        while (offset < end)
        {
            var memory = writer.GetMemory(ChunkBytes);
            // A synchronous read: an asynchronous one costs a thread-pool hop per piece.
            var read = RandomAccess.Read(file, memory.Span[..(int)Math.Min(memory.Length, end - offset)], offset);
            if (read == 0)
            {
                throw new IOException($"The artifact file ended at {offset} of {end} bytes.");
            }
            offset += read;
            writer.Advance(read);
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
    }

    /// <summary>Runs <paramref name="result"/> (a file result) with this body in place of the server's.</summary>
    public static async Task ExecuteAsync(HttpContext http, IResult result)
    {
        var server = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        http.Features.Set<IHttpResponseBodyFeature>(new ArtifactBody(server));
        try
        {
            await result.ExecuteAsync(http);
        }
        finally
        {
            http.Features.Set(server);
        }
    }
}
