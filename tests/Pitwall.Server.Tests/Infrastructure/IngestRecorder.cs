using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>Wraps every message handler to record what was persisted, so tests can prove exactly-once storage.</summary>
internal sealed class IngestRecorder(IVehicleMessageHandler inner, ConcurrentBag<(string Vin, long Seq)> ingested) : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => inner.Handles;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages) =>
        await inner.PersistAsync(connection, transaction, messages);

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            ingested.Add((message.Vin, message.Seq));
        }
        inner.Committed(messages);
    }

    public static void Install(IServiceCollection services, ConcurrentBag<(string Vin, long Seq)> ingested)
    {
        var originals = services.Where(d => d.ServiceType == typeof(IVehicleMessageHandler)).ToList();
        services.RemoveAll<IVehicleMessageHandler>();
        foreach (var original in originals)
        {
            services.AddSingleton<IVehicleMessageHandler>(sp => new IngestRecorder(
                (IVehicleMessageHandler)(original.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)), ingested));
        }
    }
}
