using System.CommandLine;
using Microsoft.Extensions.Options;
using Pitwall.Server.Features.SoftwareUpdates.Signing;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary><c>pitwall admin update-keys-init | update-keys-rotate --role R</c>: the director's keys of signed update metadata, in the key
/// directory (<c>Pitwall:SoftwareUpdates:KeyDirectory</c> or <c>--key-directory</c>), never in the database; <c>image-keys-init |
/// image-keys-rotate | image-targets-sign</c>: the image repository's, whose root and targets keys stay in an offline directory.</summary>
public static class SoftwareUpdateCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {
        var directory = new Option<string?>("--key-directory") { Description = "The key directory; default: Pitwall:SoftwareUpdates:KeyDirectory (./data/update-keys)." };
        var init = new Command("update-keys-init", "Make the keys of signed update metadata (root, targets, snapshot, timestamp) and root version 1.") { directory };
        init.SetAction((result, _) => WithKeysAsync(factory, result, database, directory, (keys, now) =>
        {
            if (!keys.Initialize(now))
            {
                Console.Error.WriteLine("The key directory holds keys already; rotate them with update-keys-rotate.");
                return 1;
            }
            Print(keys);
            return 0;
        }));

        var role = new Option<string>("--role") { Description = "root | targets | snapshot | timestamp; none: the same keys, a new root expiry (renew)", Required = true };
        role.AcceptOnlyFromAmong([.. UpdateKeyStore.Roles, KeyFiles.None]);
        var rotate = new Command("update-keys-rotate", "Replace a role's key (or renew the root): a new root version, signed by the old and the new root keys.") { directory, role };
        rotate.SetAction((result, _) => WithKeysAsync(factory, result, database, directory, (keys, now) =>
        {
            if (keys.Rotate(result.GetValue(role)!, now) == 0)
            {
                Console.Error.WriteLine("No keys to rotate, or the root key is not in the key directory (bring it back to sign the new root).");
                return 1;
            }
            Print(keys);
            return 0;
        }));

        var offline = new Option<string>("--offline-directory") { Description = "The image repository's offline directory (root and targets keys): keep it off the server.", Required = true };
        var imageInit = new Command("image-keys-init",
            "Make Uptane's image repository: root and targets keys in the offline directory, snapshot and timestamp keys and root version 1 in the key directory.") { directory, offline };
        imageInit.SetAction((result, _) => WithKeysAsync(factory, result, database, directory, (keys, now) =>
        {
            if (!OfflineImageKeys.Initialize(result.GetValue(offline)!, keys.Directory, now))
            {
                Console.Error.WriteLine("An image repository exists already in the offline or the key directory.");
                return 1;
            }
            Console.WriteLine("image root version 1");
            return 0;
        }));

        var input = new Option<string>("--in") { Description = "The unsigned targets (GET /api/v1/admin/software/image-repository/unsigned-targets).", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the signed targets (PUT them to /api/v1/admin/software/image-repository/targets).", Required = true };
        var sign = new Command("image-targets-sign", "Sign the image repository's targets with the offline targets key; needs neither the server nor its database.") { offline, input, output };
        sign.SetAction((result, _) =>
        {
            if (OfflineImageKeys.SignTargets(result.GetValue(offline)!, File.ReadAllText(result.GetValue(input)!)) is not { } signed)
            {
                Console.Error.WriteLine("Not targets metadata, or no image repository keys in the offline directory.");
                return Task.FromResult(1);
            }
            File.WriteAllText(result.GetValue(output)!, signed);
            Console.WriteLine($"signed {result.GetValue(output)}");
            return Task.FromResult(0);
        });
        var serverKeys = new Option<string?>("--key-directory")
        {
            Description = "The server's key directory, when this machine reaches it: the new root goes there too, and a new snapshot or timestamp key (required for those).",
        };
        var imageRotate = new Command("image-keys-rotate",
            "Replace a key of the image repository (or renew its root) offline: root version N+1 signed by the old root key; store it with PUT "
            + "/api/v1/admin/software/image-repository/root unless --key-directory put it there. Needs neither the server nor its database.") { offline, role, serverKeys };
        imageRotate.SetAction((result, _) =>
        {
            var (version, error) = OfflineImageKeys.Rotate(result.GetValue(offline)!, result.GetValue(serverKeys), result.GetValue(role)!, TimeProvider.System.GetUtcNow());
            if (error is not null)
            {
                Console.Error.WriteLine(error);
                return Task.FromResult(1);
            }
            Console.WriteLine($"image root version {version}");
            return Task.FromResult(0);
        });
        return [init, rotate, imageInit, sign, imageRotate];
    }

    private static async Task<int> WithKeysAsync(
        AppFactory factory, ParseResult result, Option<string?> database, Option<string?> directory, Func<UpdateKeyStore, DateTimeOffset, int> action)
    {
        await using var app = factory([], b => PitwallCommandLine.Configure(b, result, database));
        var configured = app.Services.GetRequiredService<IOptions<SoftwareUpdateOptions>>().Value.KeyDirectory;
        var options = new SoftwareUpdateOptions { KeyDirectory = result.GetValue(directory) is { Length: > 0 } chosen ? chosen : configured };
        return action(new UpdateKeyStore(Options.Create(options)), app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
    }

    private static void Print(UpdateKeyStore keys)
    {
        Console.WriteLine($"root version {keys.LatestRootVersion}");
        foreach (var (role, ids) in keys.KeyIdsByRole())
        {
            Console.WriteLine($"{role}: {string.Join(", ", ids)}");
        }
    }
}
