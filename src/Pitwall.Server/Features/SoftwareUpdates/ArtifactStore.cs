using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The hashes and length of an artifact's bytes (lowercase hex).</summary>
internal sealed record ArtifactContent(string Sha256, string Sha1, string Md5, long Size);

/// <summary>
/// The artifacts' bytes on disk, content-addressed: one file per SHA-256 under <c>sha256/ab/abcd…</c>, so two modules that
/// ship the same file share it and a file never changes once written. Uploads stream through the three hashes into a
/// temporary file and are moved into place whole; nothing holds an artifact in memory.
/// </summary>
internal sealed class ArtifactStore(IOptions<SoftwareUpdateOptions> options)
{
    private const int BufferSize = 128 * 1024;

    private string Root => Path.GetFullPath(options.Value.ArtifactDirectory);

    /// <summary>Where the bytes with this SHA-256 are (the file may not exist).</summary>
    public string PathOf(string sha256) => Path.Combine(Root, "sha256", sha256[..2], sha256);

    /// <summary>Streams <paramref name="body"/> to disk and hashes it; null (and nothing kept) when it is longer than
    /// <paramref name="maxBytes"/>.</summary>
    public async Task<ArtifactContent?> SaveAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "incoming")).FullName, Guid.NewGuid().ToString("N"));
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1); // a DDI checksum, not a security measure
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5); // ditto
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        return null;
                    }
                    sha256.AppendData(buffer, 0, read);
                    sha1.AppendData(buffer, 0, read);
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                await file.FlushAsync(cancellationToken);
            }
            var content = new ArtifactContent(Hex(sha256), Hex(sha1), Hex(md5), size);
            var target = PathOf(content.Sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                File.Move(temporary, target, overwrite: true);
            }
            return content;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            File.Delete(temporary);
        }
    }

    private static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}
