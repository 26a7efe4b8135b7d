using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Notifications.Channels;
using Pitwall.Server.Tests.Hosting;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>The channels as the server registers them (<c>AddNotificationChannels</c>), on given settings and a hand-driven clock.</summary>
internal sealed class ChannelHost : IDisposable
{
    private readonly ServiceProvider _services;

    private ChannelHost(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddNotificationChannels();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public TestClock Clock { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>Builds the channels and runs the start-up validation, as the server's start does.</summary>
    public static ChannelHost Start(params (string Key, string? Value)[] settings)
    {
        var host = new ChannelHost(settings.Select(s => new KeyValuePair<string, string?>($"{NotificationChannelOptions.Section}:{s.Key}", s.Value)));
        try
        {
            host._services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    public INotificationChannel Channel(string name) => _services.GetServices<INotificationChannel>().Single(c => c.Name == name);

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public void Dispose() => _services.Dispose();
}

/// <summary>Provider keys made for the test run; the peers verify signatures with their public halves only.</summary>
internal static class TestKeys
{
    public static RSA ServiceAccount { get; } = RSA.Create(2048);

    public static string ServiceAccountPem { get; } = ServiceAccount.ExportPkcs8PrivateKeyPem();

    public static ECDsa Apns { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string ApnsPem { get; } = Apns.ExportPkcs8PrivateKeyPem();

    public const string Vin = "WP0ZZZ99ZTS392124";
}
