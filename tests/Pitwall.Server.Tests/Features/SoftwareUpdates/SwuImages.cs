using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>
/// Signed swupdate images (<c>.swu</c>) built the way swupdate's documentation says: a cpio archive ("new ASCII" format with
/// checksums, <c>070702</c>) whose first member is <c>sw-description</c>, followed by its CMS signature
/// <c>sw-description.sig</c> (openssl cms, DER, no S/MIME capabilities), then the payload files. The signer is a throwaway
/// self-signed certificate with the e-mail-protection purpose that swupdate checks by default. Debian's swupdate is built
/// with CONFIG_SIGNED_IMAGES and CMS, so it refuses an image that is not signed by the certificate given with <c>-k</c>.
/// </summary>
internal sealed class SwuImages : IDisposable
{
    /// <summary>The hardware the images are for; swupdate is started with <c>-H</c> this.</summary>
    public const string Board = "pitwall-test";
    public const string Revision = "1.0";

    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("pitwall-swu-");

    private SwuImages()
    {
    }

    public string Directory => _directory.FullName;

    public string Certificate => Path.Combine(Directory, "signer.pem");

    private string Key => Path.Combine(Directory, "signer.key");

    public static async Task<SwuImages> CreateAsync()
    {
        var images = new SwuImages();
        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", images.Key, "-out", images.Certificate, "-days", "2",
            "-subj", "/CN=Pitwall test update signer", "-addext", "keyUsage=digitalSignature", "-addext", "extendedKeyUsage=emailProtection");
        return images;
    }

    /// <summary>An image of version <paramref name="version"/> that installs <paramref name="content"/> as the file
    /// <paramref name="destination"/>; <paramref name="tamper"/> changes sw-description after it was signed.</summary>
    public async Task<byte[]> FileImageAsync(string version, string destination, string content, bool tamper = false)
    {
        var payload = Encoding.UTF8.GetBytes(content);
        var description = $$"""
            software = {
              version = "{{version}}";
              hardware-compatibility = [ "{{Revision}}" ];
              files: (
                {
                  filename = "payload.txt";
                  path = "{{destination}}";
                  sha256 = "{{Convert.ToHexStringLower(SHA256.HashData(payload))}}";
                }
              );
            }
            """;
        var descriptionPath = Path.Combine(Directory, $"sw-description-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(descriptionPath, description);
        await OpenSslAsync("cms", "-sign", "-in", descriptionPath, "-out", descriptionPath + ".sig", "-signer", Certificate, "-inkey", Key,
            "-outform", "DER", "-nosmimecap", "-binary");
        var signed = await File.ReadAllBytesAsync(descriptionPath);
        if (tamper)
        {
            signed = Encoding.UTF8.GetBytes(description.Replace($"\"{version}\"", "\"99.0.0\"", StringComparison.Ordinal));
        }
        return Cpio([("sw-description", signed), ("sw-description.sig", await File.ReadAllBytesAsync(descriptionPath + ".sig")), ("payload.txt", payload)]);
    }

    /// <summary>A cpio archive in the "new ASCII with checksum" format (070702), padded to 512 bytes as cpio writes it.</summary>
    private static byte[] Cpio(IReadOnlyList<(string Name, byte[] Data)> members)
    {
        using var archive = new MemoryStream();
        var inode = 1;
        foreach (var (name, data) in members.Append(("TRAILER!!!", [])))
        {
            var checksum = data.Aggregate(0u, (sum, b) => unchecked(sum + b));
            var nameBytes = Encoding.ASCII.GetBytes(name + "\0");
            var fields = new[] { name == "TRAILER!!!" ? 0 : inode++, Convert.ToInt32("100644", 8), 0, 0, 1, 0, data.Length, 0, 0, 0, 0, nameBytes.Length }
                .Select(v => ((uint)v).ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
            archive.Write(Encoding.ASCII.GetBytes("070702" + string.Concat(fields) + checksum.ToString("X8", System.Globalization.CultureInfo.InvariantCulture)));
            archive.Write(nameBytes);
            Pad(archive, 4);
            archive.Write(data);
            Pad(archive, 4);
        }
        Pad(archive, 512);
        return archive.ToArray();
    }

    private static void Pad(MemoryStream stream, int to)
    {
        while (stream.Length % to != 0)
        {
            stream.WriteByte(0);
        }
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"openssl {arguments[0]} failed: {error}");
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
