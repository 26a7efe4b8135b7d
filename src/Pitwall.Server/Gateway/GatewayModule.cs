using Pitwall.Server.Hosting.Telemetry;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Gateway;

/// <summary>The vehicle link (DESIGN §4): WebSocket endpoint, vehicle authentication, sessions, ingest.</summary>
public static class GatewayModule
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<VehicleCaOptions>().BindConfiguration(VehicleCaOptions.Section);
        builder.Services.AddSingleton<VehicleCertificateAuthority>();
        builder.Services.AddSingleton<VehicleAuthenticator>();
        builder.Services.AddSingleton<VehicleLinkStore>();
        builder.Services.AddSingleton<SessionRegistry>();
        builder.Services.AddSingleton<VinLocks>();
        builder.Services.AddSingleton<GatewayEvents>();
        builder.Services.AddSingleton<Validation.CarMessageValidator>();
        builder.Services.AddSingleton<Validation.GatewayMetrics>();
        builder.Services.AddSingleton<GatewayServices>();
        builder.Services.AddInstruments<GatewayMetrics>();
        builder.Services.AddSingleton<IngestWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        builder.Services.AddSingleton<CloudAcks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CloudAcks>());
        builder.Services.AddSingleton<IVehicleLink, VehicleLink>();
        builder.Services.AddSingleton<CarRouting>();
        builder.Services.AddSingleton<CarRoutingSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CarRoutingSweep>());
        builder.Services.AddSingleton<InstanceHeartbeats>();
        builder.Services.AddSingleton<InstancePresence>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InstancePresence>());
        builder.Services.AddDataCategory(GatewayDataCategories.Link);
        builder.Services.AddDataCategory(GatewayDataCategories.Outbox);
        builder.Services.AddDataCategory(GatewayDataCategories.Challenges);
        builder.Services.AddDataCategory(GatewayDataCategories.Logins);
        builder.Services.Configure<RateLimiterOptions>(o => o.AddPolicy(GatewayEndpoints.ChallengeRateLimit, context =>
            RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.ChallengesPerMinute,
                Window = TimeSpan.FromMinutes(1),
            })));
        // Every address Kestrel listens on first offers its connections to the lean vehicle link (VehicleLinkConnections).
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var links = new Lazy<VehicleLinkConnections>(() => new VehicleLinkConnections(
                kestrel.ApplicationServices.GetRequiredService<VehicleAuthenticator>(), kestrel.ApplicationServices.GetRequiredService<GatewayServices>(),
                kestrel.ApplicationServices.GetRequiredService<IHostApplicationLifetime>(), kestrel.Limits.RequestHeadersTimeout));
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection => links.Value.OnConnectionAsync(connection, next)));
        });
        // Any https:// address Kestrel listens on accepts vehicle client certificates (mutual TLS), checked against
        // the vehicle CA by the authenticator; its server certificate comes from the same CA.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            var authority = kestrel.ApplicationServices.GetRequiredService<VehicleCertificateAuthority>();
            var hostName = kestrel.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.TlsHostName;
            var server = new Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2>(() => authority.IssueServer(hostName, TimeSpan.FromDays(365)));
            https.ServerCertificateSelector ??= (_, _) => server.Value;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = (_, _, _) => true;
        }));
        return builder;
    }

    /// <summary>First in the pipeline: the vehicle link's WebSocket endpoint, branched off before any other middleware
    /// (<see cref="VehicleLinkEndpoint"/>).</summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseVehicleLink();
        return app;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapGatewayEndpoints();
        return app;
    }
}
