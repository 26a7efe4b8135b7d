using System.CommandLine;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary><c>pitwall admin create-client | rotate-client-secret | list-clients</c>: the client registry from the shell.</summary>
public static class ClientCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {
        var kind = new Option<string>("--kind") { Description = $"One of: {string.Join(", ", ClientKinds.All)}.", Required = true };
        kind.AcceptOnlyFromAmong([.. ClientKinds.All]);
        var name = new Option<string>("--name") { Description = "The app's or partner's name.", Required = true };
        var redirect = new Option<string[]>("--redirect-uri") { Description = "Where an app receives codes (repeatable).", AllowMultipleArgumentsPerToken = false };
        var scope = new Option<string[]>("--scope") { Description = "An allowed scope (repeatable).", Required = true };
        var create = new Command("create-client", "Register an OAuth client; prints its id and, for a partner, its secret (once).") { kind, name, redirect, scope };
        create.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var request = new ClientRequest(result.GetValue(kind), result.GetValue(name), result.GetValue(redirect) ?? [], result.GetValue(scope) ?? []);
            var errors = ClientRegistry.Validate(request);
            if (errors.Any)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, errors.ToDictionary().SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
                return 1;
            }
            Print(await app.Services.GetRequiredService<ClientRegistry>().CreateAsync(request, ct));
            return 0;
        }));

        var clientId = new Option<string>("--client-id") { Description = "The client's id.", Required = true };
        var rotate = new Command("rotate-client-secret", "Give a partner client a new secret; the old one stops working at once.") { clientId };
        rotate.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var (client, refusal) = await app.Services.GetRequiredService<ClientRegistry>().RotateSecretAsync(result.GetValue(clientId)!, ct);
            if (refusal is not null)
            {
                await Console.Error.WriteLineAsync(refusal.Title);
                return 1;
            }
            Print(client!);
            return 0;
        }));

        var list = new Command("list-clients", "The registered OAuth clients.");
        list.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            foreach (var client in await app.Services.GetRequiredService<ClientRegistry>().ListAsync(ct))
            {
                Console.WriteLine($"{client.ClientId}\t{client.Kind}\t{client.Name}\t{string.Join(' ', client.Scopes)}\t{string.Join(' ', client.RedirectUris)}");
            }
            return 0;
        }));
        return [create, rotate, list];
    }

    private static void Print(ClientResponse client)
    {
        Console.WriteLine($"client_id: {client.ClientId}");
        if (client.ClientSecret is not null)
        {
            Console.WriteLine($"client_secret: {client.ClientSecret}");
        }
    }
}
