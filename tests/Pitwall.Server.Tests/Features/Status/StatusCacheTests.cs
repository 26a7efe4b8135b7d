using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Gateway;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Status;

/// <summary>
/// The status handler changes its cached car states in place during a batch (issue 17); a batch whose transaction never
/// commits must leave no trace in what later batches store.
/// </summary>
public sealed class StatusCacheTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task Values_of_a_batch_that_rolled_back_are_never_stored_by_a_later_batch()
    {
        var (vin, _) = await server.RegisterVehicleAsync();
        var handler = server.Get<StatusMessageHandler>();
        var database = server.Get<Database>();
        var now = server.Clock.GetUtcNow();
        InboundMessage Report(params SignalValue[] values) =>
            new(vin, 1, new Envelope { StatusReport = new StatusReport { Values = { values } } }, new PrivacySettings(), now);

        var first = Report(TestCar.Number(SignalCatalog.Speed, 10, now));
        await database.WriteAsync((c, t) => handler.PersistAsync(c, t, [first]), CancellationToken.None);
        handler.Committed([first]);

        var lost = Report(TestCar.Number(SignalCatalog.Speed, 99, now.AddSeconds(1)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.WriteAsync(async (c, t) =>
        {
            await handler.PersistAsync(c, t, [lost]);
            throw new InvalidOperationException("the transaction fails after the handler ran");
        }, CancellationToken.None));

        var later = Report(TestCar.Number(SignalCatalog.StateOfCharge, 50, now.AddSeconds(2)));
        await database.WriteAsync((c, t) => handler.PersistAsync(c, t, [later]), CancellationToken.None);
        handler.Committed([later]);

        var stored = await server.Get<StatusStore>().FindAsync(vin, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(10, stored.Values.Single(v => v.Id == SignalCatalog.Speed.Id).Number);
        Assert.Equal(50, stored.Values.Single(v => v.Id == SignalCatalog.StateOfCharge.Id).Number);
    }
}
