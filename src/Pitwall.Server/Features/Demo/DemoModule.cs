using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Demo;

public sealed class DemoOptions
{
    public const string Section = "Pitwall:Demo";
    public const string Password = "pitwall-demo";

    /// <summary>Set by <c>pitwall demo</c>: create the demo accounts (and later the simulated fleet).</summary>
    public bool Enabled { get; set; }
}

/// <summary>The demo that the README's run command shows: well-known accounts to sign in with.</summary>
public static class DemoModule
{
    public static IReadOnlyList<(string Email, string Name, string Role)> Accounts { get; } =
    [
        ("owner@demo.pitwall.dev", "Dana Demo", Roles.Owner),
        ("soc@demo.pitwall.dev", "Sam SOC", Roles.SocOperator),
        ("admin@demo.pitwall.dev", "Alex Admin", Roles.Admin),
    ];

    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}

internal sealed partial class DemoSeeder(IOptions<DemoOptions> options, AccountAdministration administration, ILogger<DemoSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        foreach (var (email, name, role) in DemoModule.Accounts)
        {
            // An existing account is left as it is: the demo never overwrites what someone changed.
            var created = await administration.CreateUserAsync(email, name, role, DemoOptions.Password, cancellationToken);
            if (created.Succeeded)
            {
                LogCreated(logger, role);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the demo {Role} account")]
    private static partial void LogCreated(ILogger logger, string role);
}
