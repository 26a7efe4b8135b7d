using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary><c>pitwall admin update-keys-init | update-keys-rotate</c> as an operator runs them: the keys land in the key directory.</summary>
public sealed class UpdateKeyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pitwall-cli-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Init_makes_root_1_and_one_key_per_role_once_and_rotate_makes_the_next_root_and_retires_the_old_key()
    {
        var keys = Path.Combine(_directory, "keys");
        var database = $"Data Source={Path.Combine(_directory, "cli.db")}";
        var (init, output) = await PitwallProcess.RunAsync(_directory, "admin", "update-keys-init", "--key-directory", keys, "--database", database);
        Assert.True(init == 0, output);
        Assert.Contains("root version 1", output);
        Assert.True(File.Exists(Path.Combine(keys, "root", "1.root.json")));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(keys, "keys"), "*.pem").Length);

        var (again, againOutput) = await PitwallProcess.RunAsync(_directory, "admin", "update-keys-init", "--key-directory", keys, "--database", database);
        Assert.Equal(1, again);
        Assert.Contains("holds keys already", againOutput);

        var (rotate, rotateOutput) = await PitwallProcess.RunAsync(_directory, "admin", "update-keys-rotate", "--role", "snapshot", "--key-directory", keys, "--database", database);
        Assert.True(rotate == 0, rotateOutput);
        Assert.Contains("root version 2", rotateOutput);
        Assert.Single(Directory.GetFiles(Path.Combine(keys, "retired"), "*.pem"));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(keys, "keys"), "*.pem").Length);

        var (unknown, _) = await PitwallProcess.RunAsync(_directory, "admin", "update-keys-rotate", "--role", "mirror", "--key-directory", keys, "--database", database);
        Assert.NotEqual(0, unknown);

        // Renewing the root: version 3 with the same keys and a later expiry; no key retired.
        var (renew, renewOutput) = await PitwallProcess.RunAsync(_directory, "admin", "update-keys-rotate", "--role", "none", "--key-directory", keys, "--database", database);
        Assert.True(renew == 0, renewOutput);
        Assert.Contains("root version 3", renewOutput);
        Assert.Single(Directory.GetFiles(Path.Combine(keys, "retired"), "*.pem"));
        string Signed(int v, string what) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(keys, "root", $"{v}.root.json")))!["signed"]![what]!.ToJsonString();
        Assert.Equal(Signed(2, "keys"), Signed(3, "keys"));
        Assert.Null(Pitwall.Protocol.Updates.MetadataVerifier.CheckNextRoot(
            File.ReadAllText(Path.Combine(keys, "root", "2.root.json")), File.ReadAllText(Path.Combine(keys, "root", "3.root.json")), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Image_keys_init_leaves_the_root_and_targets_keys_offline_and_image_targets_sign_signs_without_a_database()
    {
        var keys = Path.Combine(_directory, "server-keys");
        var offline = Path.Combine(_directory, "offline");
        var database = $"Data Source={Path.Combine(_directory, "cli.db")}";
        var (init, output) = await PitwallProcess.RunAsync(_directory, "admin", "image-keys-init", "--offline-directory", offline, "--key-directory", keys, "--database", database);
        Assert.True(init == 0, output);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(offline, "keys"), "*.pem").Length);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(keys, "image", "keys"), "*.pem").Length);
        Assert.Equal(File.ReadAllText(Path.Combine(offline, "root", "1.root.json")), File.ReadAllText(Path.Combine(keys, "image", "root", "1.root.json")));

        var unsigned = Path.Combine(_directory, "unsigned.json");
        File.WriteAllText(unsigned, """{"_type":"targets","spec_version":"1.0.31","version":1,"expires":"2099-01-01T00:00:00Z","targets":{}}""");
        var signed = Path.Combine(_directory, "signed.json");
        var (sign, signOutput) = await PitwallProcess.RunAsync(_directory, "admin", "image-targets-sign", "--offline-directory", offline, "--in", unsigned, "--out", signed);
        Assert.True(sign == 0, signOutput);
        var root = File.ReadAllText(Path.Combine(keys, "image", "root", "1.root.json"));
        Assert.Null(Pitwall.Protocol.Updates.MetadataVerifier.CheckDocument(root, File.ReadAllText(signed), "targets", 1, DateTimeOffset.UtcNow));

        var (again, _) = await PitwallProcess.RunAsync(_directory, "admin", "image-keys-init", "--offline-directory", offline, "--key-directory", keys, "--database", database);
        Assert.Equal(1, again);

        // Rotation offline: the targets key without the server; the timestamp key only with the server's key directory, where it lands.
        var (rotate, rotateOutput) = await PitwallProcess.RunAsync(_directory, "admin", "image-keys-rotate", "--offline-directory", offline, "--role", "targets");
        Assert.True(rotate == 0, rotateOutput);
        Assert.Contains("image root version 2", rotateOutput);
        Assert.Null(Pitwall.Protocol.Updates.MetadataVerifier.CheckNextRoot(root, File.ReadAllText(Path.Combine(offline, "root", "2.root.json")), DateTimeOffset.UtcNow));
        var (online, onlineOutput) = await PitwallProcess.RunAsync(_directory, "admin", "image-keys-rotate", "--offline-directory", offline, "--role", "timestamp");
        Assert.Equal(1, online);
        Assert.Contains("--key-directory", onlineOutput);
        var (withServer, withServerOutput) = await PitwallProcess.RunAsync(_directory, "admin", "image-keys-rotate", "--offline-directory", offline, "--role", "timestamp",
            "--key-directory", keys);
        Assert.True(withServer == 0, withServerOutput);
        Assert.True(File.Exists(Path.Combine(keys, "image", "root", "3.root.json")));
        Assert.Single(Directory.GetFiles(Path.Combine(keys, "image", "retired"), "*.pem"));
    }
}
