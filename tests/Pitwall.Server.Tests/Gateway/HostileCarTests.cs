using System.Net;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Gateway;

/// <summary>
/// A logged-in car sending well-formed frames with absurd content: its values are dropped or marked, a message that
/// cannot be made sane is refused for that car alone, and nothing of it reaches another car or an owner's read.
/// </summary>
public abstract class HostileCarTests(PitwallServer server)
{
    private Uri Server => server.Client.BaseAddress!;

    private static async Task<JsonElement> OkJsonAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<TestCar> BystanderAsync()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        return await TestCar.ConnectAsync(Server, vin, secret);
    }

    /// <summary>The bystander is still on its first connection and its next report is stored and acked.</summary>
    private async Task AssertUndisturbedAsync(TestCar bystander)
    {
        var seq = await bystander.ReportAsync(Trigger.Periodic, TestCar.Number(SignalCatalog.Speed, 2, server.Clock.GetUtcNow()));
        await bystander.WaitForAckAsync(seq);
        Assert.Contains((bystander.Vin, (long)seq), server.Ingested);
    }

    [Fact]
    public async Task Non_finite_status_values_are_kept_as_out_of_range_and_the_owners_reads_answer()
    {
        var car = await server.OwnedVehicleAsync();
        await using var link = await TestCar.ConnectAsync(Server, car.Vin, car.Secret);
        var now = server.Clock.GetUtcNow();
        await link.WaitForAckAsync(await link.ReportAsync(Trigger.Periodic,
            TestCar.Number(SignalCatalog.Speed, double.NaN, now), TestCar.Number(SignalCatalog.Latitude, double.PositiveInfinity, now),
            TestCar.Number(SignalCatalog.Longitude, double.NegativeInfinity, now), TestCar.Number(SignalCatalog.Odometer, 1234, now)));

        var signals = (await OkJsonAsync(car.Client.GetAsync($"/api/v1/vehicles/{car.Vin}/status"))).GetProperty("signals");
        Assert.Equal("out_of_range", signals.GetProperty(SignalCatalog.Speed.Path).GetProperty("unavailable").GetString());
        Assert.Equal(JsonValueKind.Null, signals.GetProperty(SignalCatalog.Speed.Path).GetProperty("value").ValueKind);
        Assert.Equal(1234, signals.GetProperty(SignalCatalog.Odometer.Path).GetProperty("value").GetDouble());
        var location = await OkJsonAsync(car.Client.GetAsync($"/api/v1/vehicles/{car.Vin}/location"));
        Assert.Equal("out_of_range", location.GetProperty("unavailable").GetString());
    }

    [Fact]
    public async Task A_time_past_the_year_9999_is_marked_out_of_range_and_a_later_sane_report_replaces_it()
    {
        var car = await server.OwnedVehicleAsync();
        await using var link = await TestCar.ConnectAsync(Server, car.Vin, car.Secret);
        foreach (var absurd in new[] { long.MaxValue, 253_402_300_800_000L })
        {
            var report = new SignalValue { Id = SignalCatalog.StateOfCharge.Id, Number = 50, RecordedAtMs = absurd };
            await link.WaitForAckAsync(await link.ReportAsync(Trigger.Periodic, report));
            var soc = (await OkJsonAsync(car.Client.GetAsync($"/api/v1/vehicles/{car.Vin}/status"))).GetProperty("signals").GetProperty(SignalCatalog.StateOfCharge.Path);
            Assert.Equal("out_of_range", soc.GetProperty("unavailable").GetString());
        }

        await link.WaitForAckAsync(await link.ReportAsync(Trigger.Periodic, TestCar.Number(SignalCatalog.StateOfCharge, 61, server.Clock.GetUtcNow())));
        var sane = (await OkJsonAsync(car.Client.GetAsync($"/api/v1/vehicles/{car.Vin}/status"))).GetProperty("signals").GetProperty(SignalCatalog.StateOfCharge.Path);
        Assert.Equal(61, sane.GetProperty("value").GetDouble());
    }

    [Theory]
    [InlineData("alarm")]
    [InlineData("trip")]
    [InlineData("geofence")]
    [InlineData("valet")]
    [InlineData("theft")]
    public async Task An_event_with_an_impossible_time_is_acked_then_refused_and_closes_only_its_own_car(string kind)
    {
        await using var bystander = await BystanderAsync();
        var car = await server.OwnedVehicleAsync();
        var link = await TestCar.ConnectAsync(Server, car.Vin, car.Secret);
        var absurd = long.MaxValue;
        var seq = link.NextSeq();
        var envelope = kind switch
        {
            "alarm" => new Envelope { AlarmEvent = new AlarmEvent { Reason = AlarmEvent.Types.Reason.Door, OccurredAtMs = absurd } },
            "trip" => new Envelope { TripStatistics = new TripStatistics { RecordedAtMs = absurd, ShortTerm = new TripFigures { DistanceM = 1000 } } },
            "geofence" => new Envelope { GeofenceEvent = new GeofenceEvent { GeofenceId = "home", OccurredAtMs = absurd } },
            "valet" => new Envelope { ValetEvent = new ValetEvent { Kind = ValetEvent.Types.Kind.Started, ValetId = "v1", OccurredAtMs = absurd } },
            _ => new Envelope { TheftTracking = new TheftTracking { IncidentId = "i1", Phase = TheftTracking.Types.Phase.Started, TheftModeStartedAtMs = absurd } },
        };
        envelope.Seq = seq;
        // The bystander's report goes out together with the bad message, so that both may share an ingest batch.
        var bystanderSeq = bystander.NextSeq();
        await Task.WhenAll(link.SendAsync(envelope), bystander.SendAsync(new Envelope
        {
            Seq = bystanderSeq,
            StatusReport = new StatusReport { Values = { TestCar.Number(SignalCatalog.Speed, 1, server.Clock.GetUtcNow()) } },
        }));

        await link.WaitForAckAsync(seq); // acked, so that the car never resends it
        var error = await link.ReceiveAsync(Envelope.PayloadOneofCase.Error);
        Assert.Equal(ProtocolError.Types.Code.InvalidContent, error.Error.Code);
        Assert.Contains("time_out_of_range", error.Error.Message, StringComparison.Ordinal);
        await link.WaitClosedAsync();
        await link.DisposeAsync();
        Assert.DoesNotContain((car.Vin, (long)seq), server.Ingested); // no feature saw it

        await bystander.WaitForAckAsync(bystanderSeq);
        await AssertUndisturbedAsync(bystander);
        // On its next connection the car hears the refused frame is durable: nothing comes back.
        await using var again = await TestCar.ConnectAsync(Server, car.Vin, car.Secret, firstSeq: seq);
        await again.WaitForAckAsync(await again.ReportAsync(Trigger.Periodic));
    }

    [Fact]
    public async Task A_seq_jump_to_the_maximum_is_rejected_and_never_becomes_the_high_water_mark()
    {
        var car = await server.OwnedVehicleAsync();
        var link = await TestCar.ConnectAsync(Server, car.Vin, car.Secret);
        await link.SendAsync(new Envelope { Seq = long.MaxValue, StatusReport = new StatusReport { Values = { TestCar.Number(SignalCatalog.Odometer, 1, server.Clock.GetUtcNow()) } } });
        var error = await link.ReceiveAsync(Envelope.PayloadOneofCase.Error);
        Assert.Equal(ProtocolError.Types.Code.SeqOutOfRange, error.Error.Code);
        Assert.Equal((ulong)long.MaxValue, error.Error.Seq);
        await link.WaitClosedAsync();
        await link.DisposeAsync();

        // Every later frame of the car is stored, not acked away as an old resend.
        await using var again = await TestCar.ConnectAsync(Server, car.Vin, car.Secret, firstSeq: 2000);
        var seq = await again.ReportAsync(Trigger.Periodic, TestCar.Number(SignalCatalog.Odometer, 77, server.Clock.GetUtcNow()));
        await again.WaitForAckAsync(seq);
        Assert.Contains((car.Vin, (long)seq), server.Ingested);
        var odometer = (await OkJsonAsync(car.Client.GetAsync($"/api/v1/vehicles/{car.Vin}/status"))).GetProperty("signals").GetProperty(SignalCatalog.Odometer.Path);
        Assert.Equal(77, odometer.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_frame_announced_larger_than_the_cap_is_refused_once_the_cap_is_passed_though_its_rest_never_comes()
    {
        await using var bystander = await BystanderAsync();
        var (vin, secret) = await server.RegisterVehicleAsync();
        await using var raw = await RawVehicleSocket.UpgradeAsync(Server, vin, secret);
        await raw.StartFrameAsync(1_000_000);
        await raw.SendPayloadAsync(new byte[EnvelopeCodec.MaxFrameBytes + 1]); // one byte past the cap, then nothing more

        var error = await raw.ReceiveAsync();
        Assert.Equal(ProtocolError.Types.Code.FrameTooLarge, error!.Error.Code);
        await AssertUndisturbedAsync(bystander);
    }

    [Fact]
    public async Task A_frame_whose_rest_stalls_is_dropped_after_the_frame_timeout()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        await using var raw = await RawVehicleSocket.UpgradeAsync(Server, vin, secret);
        await raw.StartFrameAsync(1_000);
        await raw.SendPayloadAsync(new byte[10]);

        var error = raw.ReceiveAsync();
        // The server arms the frame's deadline once it sees the first bytes; move the clock until it has and the deadline passed.
        while (!error.IsCompleted)
        {
            server.Clock.Advance(TimeSpan.FromSeconds(31));
            await Task.WhenAny(error, Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System));
        }
        var envelope = await error;
        Assert.Equal(ProtocolError.Types.Code.MalformedFrame, envelope!.Error.Code);
        Assert.Contains("in time", envelope.Error.Message, StringComparison.Ordinal);
    }
}

public sealed class HostileCarOnSqlite(SqliteServer server) : HostileCarTests(server), IClassFixture<SqliteServer>;

public sealed class HostileCarOnPostgres(PostgresServer server) : HostileCarTests(server), IClassFixture<PostgresServer>;
