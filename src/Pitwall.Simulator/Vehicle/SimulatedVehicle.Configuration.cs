using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>The settings the cloud pushes: each part present in a frame replaces the car's setting, absent parts stay.</summary>
public sealed partial class SimulatedVehicle
{
    private void Configure(Configuration configuration)
    {
        if (configuration.PeriodicReportSeconds > 0)
        {
            _periodicInterval = TimeSpan.FromSeconds(configuration.PeriodicReportSeconds);
        }
        if (configuration.ServiceLogSeconds > 0)
        {
            _serviceLogInterval = TimeSpan.FromSeconds(configuration.ServiceLogSeconds);
        }
        if (configuration.ActiveServices is { } services)
        {
            _activeServices = [.. services.Services];
        }
        if (configuration.Valet is { } valet)
        {
            ConfigureValet(valet);
        }
        if (configuration.Geofences is { } geofences)
        {
            ConfigureGeofences(geofences);
        }
        if (configuration.Theft is { } theft)
        {
            ConfigureTheft(theft);
        }
    }
}
