using System.Collections.Concurrent;
using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Gateway;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Gateway;

/// <summary>A server whose status handler fails on the messages of chosen cars, as a bug in a feature would.</summary>
public sealed class FailingFeatureServer : SqliteServer
{
    public ConcurrentDictionary<string, bool> FailingCars { get; } = new(StringComparer.Ordinal);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStatusObserver>(new FailingObserver(FailingCars));

    private sealed class FailingObserver(ConcurrentDictionary<string, bool> failing) : IStatusObserver
    {
        public Task ObserveAsync(DbConnection connection, DbTransaction transaction, InboundMessage message, StatusReport before, IReadOnlyList<SignalValue> values) =>
            failing.ContainsKey(message.Vin) ? throw new InvalidOperationException("a feature's bug") : Task.CompletedTask;
    }
}

public sealed class IngestIsolationTests(FailingFeatureServer server) : IClassFixture<FailingFeatureServer>
{
    [Fact]
    public async Task A_batch_that_fails_on_one_cars_message_is_written_car_by_car_and_only_that_car_is_disconnected()
    {
        var uri = server.Client.BaseAddress!;
        var (badVin, badSecret) = await server.RegisterVehicleAsync();
        server.FailingCars[badVin] = true;
        var bystanders = new List<TestCar>();
        for (var i = 0; i < 4; i++)
        {
            var (vin, secret) = await server.RegisterVehicleAsync();
            bystanders.Add(await TestCar.ConnectAsync(uri, vin, secret));
        }
        await using var bad = await TestCar.ConnectAsync(uri, badVin, badSecret);

        var badSeq = bad.NextSeq();
        var sent = bystanders.Select(async b => (Car: b, Seq: await b.ReportAsync(Trigger.Periodic, TestCar.Number(SignalCatalog.Speed, 3, server.Clock.GetUtcNow())))).ToList();
        await bad.SendAsync(new Envelope { Seq = badSeq, StatusReport = new StatusReport { Values = { TestCar.Number(SignalCatalog.Speed, 3, server.Clock.GetUtcNow()) } } });

        var error = await bad.ReceiveAsync(Envelope.PayloadOneofCase.Error);
        Assert.Equal(ProtocolError.Types.Code.ShuttingDown, error.Error.Code);
        await bad.WaitClosedAsync();
        Assert.DoesNotContain((badVin, (long)badSeq), server.Ingested);
        foreach (var (car, seq) in await Task.WhenAll(sent))
        {
            await car.WaitForAckAsync(seq);
            Assert.Contains((car.Vin, (long)seq), server.Ingested);
            await car.WaitForAckAsync(await car.ReportAsync(Trigger.Periodic)); // still on its first connection
            await car.DisposeAsync();
        }
    }
}
