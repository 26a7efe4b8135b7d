using System.CommandLine;
using System.Security.Cryptography;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts;

/// <summary><c>pitwall admin create-user | reset-password | reset-second-factor</c>.</summary>
public static class AccountCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {

        var email = new Option<string>("--email") { Description = "The account's e-mail address.", Required = true };
        var name = new Option<string>("--name") { Description = "The person's name.", Required = true };
        var role = new Option<string>("--role")
        {
            Description = $"One of: {string.Join(", ", Roles.All)}.",
            DefaultValueFactory = _ => Roles.Owner,
        };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var password = new Option<string?>("--password") { Description = "The password; without it a random one is made and printed." };

        var createUser = new Command("create-user", "Create an account with a role.") { email, name, role, password };
        createUser.SetAction((result, ct) => RunAsync(factory, result, database, async (admin, generated) =>
            await admin.CreateUserAsync(result.GetValue(email)!, result.GetValue(name)!, result.GetValue(role)!, generated, ct),
            result.GetValue(password), "created account"));

        var resetEmail = new Option<string>("--email") { Description = "The account's e-mail address.", Required = true };
        var resetPassword = new Option<string?>("--password") { Description = "The new password; without it a random one is made and printed." };
        var reset = new Command("reset-password", "Set a new password, lift a lock-out and sign every session out.") { resetEmail, resetPassword };
        reset.SetAction((result, ct) => RunAsync(factory, result, database, async (admin, generated) =>
            await admin.ResetPasswordAsync(result.GetValue(resetEmail)!, generated, ct),
            result.GetValue(resetPassword), "reset password of account"));

        var factorEmail = new Option<string>("--email") { Description = "The account's e-mail address.", Required = true };
        var resetFactor = new Command("reset-second-factor",
            "Remove an account's second factor (TOTP) and recovery codes and sign every session out; staff enrol again at the next sign-in.") { factorEmail };
        resetFactor.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var outcome = await app.Services.GetRequiredService<AccountAdministration>().ResetSecondFactorAsync(result.GetValue(factorEmail)!, ct);
            if (!outcome.Succeeded)
            {
                await Console.Error.WriteLineAsync(outcome.Error);
                return 1;
            }
            Console.WriteLine($"reset second factor of account {outcome.AccountId}");
            return 0;
        }));

        return [createUser, reset, resetFactor];
    }

    private static Task<int> RunAsync(
        AppFactory factory, ParseResult result, Option<string?> database,
        Func<AccountAdministration, string, Task<AdminResult>> action, string? password, string done) =>
        PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var chosen = password ?? RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
            var outcome = await action(app.Services.GetRequiredService<AccountAdministration>(), chosen);
            if (!outcome.Succeeded)
            {
                await Console.Error.WriteLineAsync(outcome.Error);
                return 1;
            }
            Console.WriteLine($"{done} {outcome.AccountId}");
            if (password is null)
            {
                Console.WriteLine($"password: {chosen}");
            }
            return 0;
        });
}
