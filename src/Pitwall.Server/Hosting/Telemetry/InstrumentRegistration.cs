namespace Pitwall.Server.Hosting.Telemetry;

public static class InstrumentRegistration
{
    /// <summary>Registers <typeparamref name="T"/>, a singleton whose constructor creates observable instruments, and
    /// creates it when the host starts: a gauge nobody else asks for would otherwise never be read.</summary>
    public static IServiceCollection AddInstruments<T>(this IServiceCollection services) where T : class
    {
        services.AddSingleton<T>();
        // One activator type per T: hosted services are registered once per implementation type.
        services.AddHostedService(sp => new Activator<T>(sp.GetRequiredService<T>()));
        return services;
    }

    /// <summary>Holds the instruments' owner for the host's lifetime; starting it is all it does.</summary>
    private sealed class Activator<T>(T instruments) : IHostedService
    {
        public T Instruments { get; } = instruments;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
