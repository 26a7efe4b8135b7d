using System.CommandLine;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Hosting;

/// <summary>Builds a configured (not started) application; the command line uses it for every command.</summary>
public delegate WebApplication AppFactory(string[] args, Action<WebApplicationBuilder>? configure = null);

/// <summary>
/// <c>pitwall [serve] | demo | migrate | admin …</c>. Options the command line does not know (such as
/// <c>--urls</c>) go through to ASP.NET Core's configuration.
/// </summary>
public static class PitwallCommandLine
{
    public static RootCommand Create(AppFactory factory, IEnumerable<Func<AppFactory, Option<string?>, IEnumerable<Command>>> adminCommands)
    {
        var database = new Option<string?>("--database")
        {
            Description = "Database connection string (SQLite 'Data Source=…' or PostgreSQL 'Host=…'/'postgres://…'). " +
                          $"Default: ${DatabaseOptions.EnvironmentVariable}, else {DatabaseOptions.DefaultSqlite}.",
            Recursive = true,
        };
        var root = new RootCommand("Pitwall, an open connected-vehicle services platform. Without a command it serves.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Options.Add(database);

        var serve = new Command("serve", "Run the server (the default). Pass ASP.NET Core settings through, e.g. --urls http://0.0.0.0:5080.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((result, ct) => ServeAsync(factory, result, database, demo: false, ct));
        root.SetAction((result, ct) => ServeAsync(factory, result, database, demo: false, ct));

        var demo = new Command("demo", "Run the server with demo accounts (and, when present, a simulated demo fleet).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        demo.SetAction((result, ct) => ServeAsync(factory, result, database, demo: true, ct));

        var migrate = new Command("migrate", "Apply pending database migrations and exit.");
        migrate.SetAction(async (result, ct) =>
        {
            await using var app = factory([], b => Configure(b, result, database));
            try
            {
                var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync(ct);
                Console.WriteLine(applied.Count == 0
                    ? "The database is up to date."
                    : string.Join(Environment.NewLine, applied.Select(m => $"applied {m.Version:D4} {m.Name}")));
                return 0;
            }
            catch (DatabaseTooNewException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });

        root.Subcommands.Add(serve);
        root.Subcommands.Add(demo);
        root.Subcommands.Add(migrate);
        var admin = new Command("admin", "Administer accounts and vehicles.");
        foreach (var command in adminCommands.SelectMany(create => create(factory, database)))
        {
            admin.Subcommands.Add(command);
        }
        root.Subcommands.Add(admin);
        return root;
    }

    /// <summary>Migrates when configured to; call before starting the host. Refuses a database newer than this binary.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken)
    {
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
        {
            await app.Services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
        }
    }

    /// <summary>For admin commands: builds the app on the chosen database, migrates it, runs <paramref name="action"/>; its result is the exit code.</summary>
    public static async Task<int> WithAppAsync(AppFactory factory, ParseResult result, Option<string?> database, Func<WebApplication, Task<int>> action)
    {
        await using var app = factory([], b => Configure(b, result, database));
        await PrepareAsync(app, CancellationToken.None);
        return await action(app);
    }

    public static void Configure(WebApplicationBuilder builder, ParseResult result, Option<string?> database, bool demo = false)
    {
        var settings = new Dictionary<string, string?>();
        if (result.GetValue(database) is { Length: > 0 } connectionString)
        {
            settings[$"{DatabaseOptions.Section}:ConnectionString"] = connectionString;
        }
        if (demo)
        {
            settings["Pitwall:Demo:Enabled"] = "true";
            // The README's demo signs in with curl and the password grant; a real installation leaves it off (RFC 9700).
            settings["Pitwall:Accounts:PasswordGrant"] = "true";
        }
        builder.Configuration.AddInMemoryCollection(settings);
    }

    private static async Task<int> ServeAsync(AppFactory factory, ParseResult result, Option<string?> database, bool demo, CancellationToken ct)
    {
        await using var app = factory([.. result.UnmatchedTokens], b => Configure(b, result, database, demo));
        try
        {
            await PrepareAsync(app, ct);
        }
        catch (DatabaseTooNewException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        await app.RunAsync();
        return 0;
    }
}
