using Dapper;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>Smart Service (F1): the car's service logs reach storage before they are acked, under the car's switches, and a
/// car's absurd log never disturbs another car. On each engine, with the simulator and the raw car client.</summary>
public abstract class ServiceLogIngestTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private Task<long> CountAsync(string sql, object args) =>
        server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), CancellationToken.None);

    private async Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned, Powertrain powertrain, PrivacySettings? privacy = null)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 24, Powertrain = powertrain, Privacy = privacy,
            TimeProvider = server.Clock, FaultsPer1000Km = 0,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    [Theory]
    [InlineData(Powertrain.Combustion)]
    [InlineData(Powertrain.Electric)]
    public async Task A_fault_in_the_simulated_car_sends_a_log_that_is_stored_whole_before_the_car_gets_its_ack(Powertrain powertrain)
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, powertrain);
        await car.DriveAsync(TimeSpan.FromMinutes(5));
        await car.RaiseFaultAsync("P0562", "gateway");
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        // Acked means durable: everything of the log is there the moment the ack is in.
        Assert.Equal(1, car.ServiceLogsQueued);
        var vin = owned.Vin;
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_logs WHERE vin = @vin AND cause = 'fault'", new { vin }));
        var components = powertrain == Powertrain.Combustion ? 18 : 17;
        Assert.Equal(components, await CountAsync("SELECT COUNT(*) FROM service_conditions WHERE vin = @vin", new { vin }));
        var fault = await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<(string Status, string Unit, long Occurrences, string FreezeFrame)>(
            "SELECT status, control_unit, occurrences, freeze_frame FROM service_faults WHERE vin = @vin AND code = 'P0562'", new { vin }), CancellationToken.None);
        Assert.Equal(("pending", "gateway", 1L), (fault.Status, fault.Unit, fault.Occurrences));
        Assert.Contains("odometer", fault.FreezeFrame);
        var pads = await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<double>(
            "SELECT value FROM service_conditions WHERE vin = @vin AND component = 'brake_pads_front'", new { vin }), CancellationToken.None);
        Assert.Equal(car.Condition(ComponentCatalog.BrakePadsFront)!.Value, pads, 2);
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var observation = await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<(string Market, long CreatedAt, long DeleteAfter)>(
            "SELECT market, created_at, delete_after FROM product_observation WHERE vin = @vin", new { vin }), CancellationToken.None);
        Assert.Equal(("FR", now, now + TimeSpan.FromDays(3650).Ticks / TimeSpan.TicksPerMillisecond), observation);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_pending WHERE vin = @vin", new { vin }));
    }

    [Fact]
    public async Task The_simulated_car_sends_its_log_daily_by_the_clock_and_when_a_threshold_is_crossed()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 5, Powertrain = Powertrain.Combustion,
            TimeProvider = server.Clock, FaultsPer1000Km = 0, ServiceCondition = new ServiceCondition { BrakePadsFrontWear = 79.9 }, WearFactor = 20,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        car.Step(TimeSpan.Zero);
        server.Clock.Advance(TimeSpan.FromHours(23));
        car.Step(TimeSpan.Zero);
        Assert.Equal(0, car.ServiceLogsQueued);
        server.Clock.Advance(TimeSpan.FromHours(1));
        car.Step(TimeSpan.Zero);
        Assert.Equal(1, car.ServiceLogsQueued);

        await car.DriveAsync(TimeSpan.FromMinutes(10)); // the front pads pass the car's 80 % threshold
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.True(car.Condition(ComponentCatalog.BrakePadsFront) >= 80);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_logs WHERE vin = @vin AND cause = 'periodic'", new { vin = owned.Vin }));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_logs WHERE vin = @vin AND cause = 'threshold'", new { vin = owned.Vin }));
    }

    public static TheoryData<string> Switches => ["service", "group", "private"];

    [Theory]
    [MemberData(nameof(Switches))]
    public async Task With_the_service_switched_off_alone_or_with_its_group_or_in_private_mode_nothing_is_sent_and_nothing_stored(string which)
    {
        var privacy = which switch
        {
            "service" => new PrivacySettings { DisabledServices = { ServiceIds.Maintenance } },
            "group" => new PrivacySettings { NonLocationServicesDisabled = true },
            _ => new PrivacySettings { PrivateMode = true },
        };
        var owned = await server.OwnedVehicleAsync();
        await using (var car = await ConnectAsync(owned, Powertrain.Combustion, privacy))
        {
            await car.RaiseFaultAsync("P0420");
            await car.SendServiceLogAsync();
            Assert.Equal(0, car.ServiceLogsQueued); // the car keeps quiet
        }
        // A car that sends anyway (or whose log raced the switch) has it discarded: acked, never stored.
        await using var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: AboveTheSimulator(), privacy: privacy);
        var seq = raw.NextSeq();
        await raw.SendAsync(new Envelope { Seq = seq, ServiceLog = Log(server.Clock.GetUtcNow(), "P0420") });
        await raw.WaitForAckAsync(seq);
        foreach (var table in (string[])["service_logs", "service_conditions", "service_faults", "product_observation", "service_pending"])
        {
            Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM {table} WHERE vin = @vin", new { vin = owned.Vin }));
        }
    }

    [Fact]
    public async Task Absurd_values_are_dropped_an_unbounded_log_is_refused_and_neither_disturbs_another_car()
    {
        var (bad, good) = (await server.OwnedVehicleAsync(), await server.OwnedVehicleAsync());
        await using var badCar = await TestCar.ConnectAsync(server.Client.BaseAddress!, bad.Vin, bad.Secret, firstSeq: AboveTheSimulator());
        await using var goodCar = await TestCar.ConnectAsync(server.Client.BaseAddress!, good.Vin, good.Secret, firstSeq: AboveTheSimulator());
        var now = server.Clock.GetUtcNow();

        var absurd = Log(now, "P0420", "XYZ12", "p0420");
        absurd.Components.Add(new ComponentCondition { Id = ComponentCatalog.BrakePadsRear.Id, Value = 1e9 });
        absurd.Components.Add(new ComponentCondition { Id = 999, Value = 5 });
        absurd.Faults[0].FreezeFrame.Add(new FreezeFrameValue { Name = "engine_speed", Value = double.NaN, Unit = "rpm" });
        absurd.Usage.Histograms.Add(new Histogram { Name = "speed_mps", UpperBounds = { 10, 20 }, Counts = { 1 } });
        var seq = badCar.NextSeq();
        await badCar.SendAsync(new Envelope { Seq = seq, ServiceLog = absurd });
        await badCar.WaitForAckAsync(seq);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_faults WHERE vin = @vin", new { vin = bad.Vin }));
        Assert.Equal(["brake_pads_front"], await server.Get<Database>().ReadAsync(c => c.QueryAsync<string>(
            "SELECT component FROM service_conditions WHERE vin = @vin", new { vin = bad.Vin }), CancellationToken.None));
        Assert.Equal("[]", await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<string>(
            "SELECT freeze_frame FROM service_faults WHERE vin = @vin", new { vin = bad.Vin }), CancellationToken.None));

        // Too many entries: refused as a whole (acked, so never resent), and the connection of that car alone is closed.
        var flood = Log(now, [.. Enumerable.Range(0, 65).Select(i => $"P{i:X4}")]);
        var floodSeq = badCar.NextSeq();
        await badCar.SendAsync(new Envelope { Seq = floodSeq, ServiceLog = flood });
        var error = await badCar.ReceiveAsync(Envelope.PayloadOneofCase.Error);
        Assert.Equal(ProtocolError.Types.Code.InvalidContent, error.Error.Code);
        await badCar.WaitClosedAsync();
        var late = Log(now.AddYears(5));
        var lateSeq = goodCar.NextSeq();
        await goodCar.SendAsync(new Envelope { Seq = lateSeq, ServiceLog = late });
        Assert.Equal(ProtocolError.Types.Code.InvalidContent, (await goodCar.ReceiveAsync(Envelope.PayloadOneofCase.Error)).Error.Code);

        await using var again = await TestCar.ConnectAsync(server.Client.BaseAddress!, good.Vin, good.Secret, firstSeq: lateSeq);
        var fine = again.NextSeq();
        await again.SendAsync(new Envelope { Seq = fine, ServiceLog = Log(now, "P0171") });
        await again.WaitForAckAsync(fine);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_logs WHERE vin = @vin", new { vin = good.Vin }));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_logs WHERE vin = @vin", new { vin = bad.Vin }));
    }

    /// <summary>A log as a car would send it: the front pads at 40 %, the odometer at 20 000 km, the faults given.</summary>
    internal static ServiceLog Log(DateTimeOffset at, params string[] faults) => new()
    {
        LogVersion = 1, Cause = ServiceLog.Types.Cause.Periodic, RecordedAtMs = at.ToUnixTimeMilliseconds(),
        ControlUnits = { new ControlUnit { Name = "engine", PartNumber = "9A7.907.309.B", SoftwareVersion = "0810" } },
        Components = { new ComponentCondition { Id = ComponentCatalog.BrakePadsFront.Id, Value = 40 } },
        Faults = { faults.Select(code => new FaultEntry { Code = code, Status = FaultEntry.Types.Status.Confirmed, ControlUnit = "engine", Occurrences = 2,
            FirstSeenMs = at.ToUnixTimeMilliseconds(), LastSeenMs = at.ToUnixTimeMilliseconds(), WarningLamp = true }) },
        Usage = new UsageData { OdometerM = 20_000_000, OperatingTimeS = 1_000_000 },
    };

    /// <summary>A first seq above any the simulator numbered for a car in this process (it counts from its start, in ms × 1000).</summary>
    internal static ulong AboveTheSimulator() => (ulong)TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000 + 1_000_000;
}

public sealed class ServiceLogIngestOnSqlite(SqliteServer server) : ServiceLogIngestTests(server), IClassFixture<SqliteServer>;

public sealed class ServiceLogIngestOnPostgres(PostgresServer server) : ServiceLogIngestTests(server), IClassFixture<PostgresServer>;
