using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Cluster;

/// <summary>Scale-out (issue 19): the bus between instances, NATS when configured, and its health.</summary>
public static class ClusterModule
{
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SseMetrics>();
        builder.Services.AddSingleton<NatsClusterBus>();
        builder.Services.AddSingleton<SingleInstanceBus>();
        builder.Services.AddSingleton<IClusterBus>(sp => sp.GetRequiredService<IOptions<ClusterOptions>>().Value.Enabled
            ? sp.GetRequiredService<NatsClusterBus>()
            : sp.GetRequiredService<SingleInstanceBus>());
        builder.Services.AddHostedService(sp => new BusStarter(sp.GetRequiredService<IClusterBus>()));
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);
        return builder;
    }

    private sealed class BusStarter(IClusterBus bus) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            bus is IHostedService hosted ? hosted.StartAsync(cancellationToken) : Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>Degraded (not unhealthy) while NATS is away: cars still report, and what is addressed to them waits in the outbox.</summary>
internal sealed class ClusterHealthCheck(IClusterBus bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!bus.Enabled || bus.Connected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("NATS is unreachable: cars reached through other instances get their messages when NATS or the car comes back"));
}
