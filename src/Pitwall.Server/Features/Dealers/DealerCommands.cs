using System.CommandLine;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Dealers;

/// <summary><c>pitwall admin link-dealer --email … --dealer …</c>: an account made with <c>create-user --role dealer</c> starts
/// working for a dealer of the directory.</summary>
public static class DealerCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {
        var email = new Option<string>("--email") { Description = "The e-mail address of an account with the role dealer.", Required = true };
        var dealer = new Option<string>("--dealer") { Description = "The dealer's id in the directory.", Required = true };
        var link = new Command("link-dealer", "Let an account with the role dealer work for a dealer (its console shows that dealer's appointments and cars).")
        {
            email, dealer,
        };
        link.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var services = app.Services;
            var dealers = services.GetRequiredService<DealerStore>();
            var dealerId = result.GetValue(dealer)!;
            if (await services.GetRequiredService<IAccountDirectory>().FindByEmailAsync(result.GetValue(email)!, ct) is not { Role: Roles.Dealer } account)
            {
                await Console.Error.WriteLineAsync("No account with the role dealer has this e-mail address.");
                return 1;
            }
            if (await dealers.FindAsync(dealerId, ct) is null)
            {
                await Console.Error.WriteLineAsync("No dealer has this id.");
                return 1;
            }
            await dealers.LinkStaffAsync(account.Id, dealerId, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            Console.WriteLine($"linked account {account.Id} to dealer {dealerId}");
            return 0;
        }));
        return [link];
    }
}
