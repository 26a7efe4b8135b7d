using System.Net;
using System.Net.Http.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Gateway;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>The car's privacy switches are read in one place (IServiceAccess), and every car-message handler obeys it.</summary>
public abstract class ServiceAccessTests(PitwallServer server)
{
    /// <summary>Link plumbing, not what a service stores: sequence numbers, logins, frames waiting for the car, logs, counters.</summary>
    private static readonly HashSet<string> Plumbing =
        ["vehicle_link", "vehicle_cloud_seq", "vehicle_car_marks", "vehicle_cloud_acks", "vehicle_logins", "vehicle_outbox", "vehicle_auth_nonces", "access_log", "usage_statistics", "retention_runs", "leases", "schema_migrations"];

    /// <summary>One message of each kind a handler takes, each of which is stored when the switches allow it.</summary>
    private static Dictionary<Envelope.PayloadOneofCase, Func<Envelope>> Samples(DateTimeOffset now, string geofenceId, string valetId, string commandId)
    {
        var at = now.ToUnixTimeMilliseconds();
        var position = new Position { Latitude = 48.8342, Longitude = 9.1522, AccuracyM = 5, RecordedAtMs = at };
        var figures = new TripFigures { StartedAtMs = at - 600_000, DurationS = 600, DistanceM = 8000, AverageSpeedMps = 13.3 };
        return new()
        {
            [Envelope.PayloadOneofCase.StatusReport] = () => new Envelope
            {
                StatusReport = new StatusReport
                {
                    Trigger = Trigger.EngineStop,
                    Values = { TestCar.Number(SignalCatalog.Odometer, 4242, now), TestCar.Number(SignalCatalog.Latitude, 48.8, now), TestCar.Number(SignalCatalog.Longitude, 9.1, now) },
                },
            },
            [Envelope.PayloadOneofCase.TripStatistics] = () => new Envelope
            {
                TripStatistics = new TripStatistics { Cause = TripStatistics.Types.Cause.EngineStop, RecordedAtMs = at, ShortTerm = figures, LongTerm = figures },
            },
            [Envelope.PayloadOneofCase.AlarmEvent] = () => new Envelope
            {
                AlarmEvent = new AlarmEvent { Reason = AlarmEvent.Types.Reason.Glass, OccurredAtMs = at, Position = position },
            },
            [Envelope.PayloadOneofCase.ValetEvent] = () => new Envelope
            {
                ValetEvent = new ValetEvent { Kind = ValetEvent.Types.Kind.SpeedExceeded, ValetId = valetId, Position = position, SpeedMps = 30, OccurredAtMs = at },
            },
            [Envelope.PayloadOneofCase.GeofenceEvent] = () => new Envelope
            {
                GeofenceEvent = new GeofenceEvent { GeofenceId = geofenceId, Transition = GeofenceEvent.Types.Transition.Entered, OccurredAtMs = at, Position = position },
            },
            [Envelope.PayloadOneofCase.CommandResult] = () => new Envelope
            {
                CommandResult = new CommandResult { CommandId = commandId, Outcome = CommandResult.Types.Outcome.Performed },
            },
            [Envelope.PayloadOneofCase.ServiceLog] = () => new Envelope { ServiceLog = SmartService.ServiceLogIngestTests.Log(now, "P0420") },
            [Envelope.PayloadOneofCase.ManualLookup] = () => new Envelope
            {
                ManualLookup = new ManualLookup { RequestId = "manual-1", WarningCode = "tyre_pressure_low" },
            },
            [Envelope.PayloadOneofCase.BreakdownCall] = () => new Envelope
            {
                BreakdownCall = new BreakdownCall
                {
                    CallId = "sample", Source = BreakdownCall.Types.Source.Car, RecordedAtMs = at, Position = position, CallbackNumber = "+4917012345",
                    Consent = new BreakdownConsent { Assistance = true }, Faults = { new FaultEntry { Code = "P0562", Status = FaultEntry.Types.Status.Confirmed } },
                },
            },
            // Stored only as the answer to an agent's request (the breakdown tests show that); here it proves that private mode stores nothing.
            [Envelope.PayloadOneofCase.LiveDiagnosis] = () => new Envelope { LiveDiagnosis = new LiveDiagnosis { RequestId = "sample", RecordedAtMs = at } },
            // The car's own update target is created and marked polled; the feedback names no action here, so it records nothing.
            [Envelope.PayloadOneofCase.UpdatePoll] = () => new Envelope { UpdatePoll = new UpdatePoll { RequestId = "update-1" } },
            [Envelope.PayloadOneofCase.UpdateFeedback] = () => new Envelope
            {
                UpdateFeedback = new UpdateFeedback { ActionId = 1, Execution = "proceeding", Finished = "none" },
            },
            // The car's map region and version are stored (the map tests show the offer); the result names no offer here, so it records nothing.
            [Envelope.PayloadOneofCase.MapPoll] = () => new Envelope { MapPoll = new MapPoll { RequestId = "map-1", Region = "monaco", Version = 1 } },
            [Envelope.PayloadOneofCase.MapUpdateResult] = () => new Envelope
            {
                MapUpdateResult = new MapUpdateResult { Region = "monaco", FromVersion = 1, ToVersion = 2, Success = true },
            },
            // Filed only with a dealer (the dealers' tests show that); here it proves that private mode files nothing.
            [Envelope.PayloadOneofCase.AppointmentRequest] = () => new Envelope
            {
                AppointmentRequest = new AppointmentRequest { RequestId = "sample", Reason = "Brake noise", SlotsMs = { at + (3 * 86_400_000L) } },
            },
        };
    }

    /// <summary>Every row of every table but the plumbing, as text.</summary>
    private async Task<Dictionary<string, List<string>>> SnapshotAsync(params string[] skip)
    {
        var database = server.Get<Database>();
        var tables = await database.ReadAsync(c => Dapper.SqlMapper.QueryAsync<string>(c, server.Dialect == SqlDialect.Postgres
            ? "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"), CancellationToken.None);
        var snapshot = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => !Plumbing.Contains(t) && !skip.Contains(t)))
        {
            var rows = await database.ReadAsync(c => Dapper.SqlMapper.QueryAsync(c, $"SELECT * FROM {table}"), CancellationToken.None);
            snapshot[table] = rows.Cast<IDictionary<string, object?>>()
                .Select(r => string.Join("|", r.Select(kv => $"{kv.Key}={(kv.Value is byte[] b ? Convert.ToBase64String(b) : kv.Value)}")))
                .Order(StringComparer.Ordinal).ToList();
        }
        return snapshot;
    }

    private static async Task SendAllAsync(TestCar car, IEnumerable<Func<Envelope>> samples)
    {
        foreach (var sample in samples)
        {
            var envelope = sample();
            envelope.Seq = car.NextSeq();
            await car.SendAsync(envelope);
            await car.WaitForAckAsync(envelope.Seq);
        }
    }

    private static async Task SwitchAsync(TestCar car, PrivacySettings privacy)
    {
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, StatusReport = new StatusReport { Trigger = Trigger.PrivacyChange, Privacy = privacy } });
        await car.WaitForAckAsync(seq);
    }

    [Fact]
    public async Task Every_car_message_handler_stores_nothing_that_arrives_in_private_mode()
    {
        var (_, _, client, vin, secret) = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret, privacy: new PrivacySettings());
        // What each message needs to be stored: an area, a running valet alarm, a command the car has received.
        var geofence = await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/geofences",
            new { name = "Office", latitude = 48.8342, longitude = 9.1522, radiusMetres = 300, notify = "both" });
        Assert.True(geofence.StatusCode == HttpStatusCode.Created, await geofence.Content.ReadAsStringAsync());
        var geofenceId = (await geofence.JsonAsync()).GetProperty("id").GetString()!;
        var valet = await client.PutAsJsonAsync($"/api/v1/vehicles/{vin}/valet", new { maxSpeedKmh = 50, radiusM = 1000 });
        Assert.True(valet.IsSuccessStatusCode, await valet.Content.ReadAsStringAsync());
        var valetId = (await valet.JsonAsync()).GetProperty("id").GetString()!;
        var command = await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash", expiresInSeconds = 600 });
        Assert.Equal(HttpStatusCode.Accepted, command.StatusCode);
        var commandId = (await car.ReceiveAsync(Envelope.PayloadOneofCase.Command)).Command.CommandId;

        var samples = Samples(server.Clock.GetUtcNow(), geofenceId, valetId, commandId);
        // Car Security's messages and the emergency call pass private mode on purpose (ServiceAccess.IsEmergency; their own tests
        // show them stored — the emergency call's in the breakdown tests).
        Envelope.PayloadOneofCase[] exempt = [Envelope.PayloadOneofCase.TheftTracking, Envelope.PayloadOneofCase.HealthCheck, Envelope.PayloadOneofCase.EmergencyCall];
        Assert.True(ServiceAccess.IsEmergency(ServiceIds.CarSecurity));
        Assert.True(ServiceAccess.IsEmergency(ServiceIds.EmergencyCall));
        var handled = server.App.Services.GetServices<IVehicleMessageHandler>().Select(h => h.Handles).Except(exempt).ToList();
        Assert.Equal(handled.Order(), samples.Keys.Order()); // a new kind of car message needs its sample here

        await SwitchAsync(car, new PrivacySettings { PrivateMode = true });
        var before = await SnapshotAsync("vehicle_commands");
        await SendAllAsync(car, samples.Values);
        var after = await SnapshotAsync("vehicle_commands");
        foreach (var (table, rows) in before)
        {
            Assert.True(rows.SequenceEqual(after[table]), $"{table} changed in private mode");
        }
        // The command closes as refused by the switches, whatever the car claimed.
        var closed = await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands/{commandId}")).JsonAsync();
        Assert.Equal("failed", closed.GetProperty("state").GetString());
        Assert.Equal("privacy_mode", closed.GetProperty("reason").GetString());

        // The same messages with private mode off are stored: the samples prove something.
        await SwitchAsync(car, new PrivacySettings());
        await SendAllAsync(car, samples.Where(s => s.Key != Envelope.PayloadOneofCase.CommandResult).Select(s => s.Value));
        var stored = await SnapshotAsync("vehicle_commands");
        var changed = before.Keys.Where(t => !before[t].SequenceEqual(stored[t])).ToList();
        Assert.Contains("vehicle_status", changed);
        Assert.Contains("vehicle_alarms", changed);
        Assert.Contains("geofence_events", changed);
        Assert.Contains(changed, t => t.Contains("trip", StringComparison.Ordinal));
        Assert.Contains(changed, t => t.Contains("valet", StringComparison.Ordinal));
        Assert.Contains("service_logs", changed);
        Assert.Contains("manual_car_visits", changed);
        Assert.Contains("breakdown_cases", changed);
    }

    [Fact]
    public void The_verdicts_follow_the_switches_and_emergency_data_passes_in_private_mode()
    {
        var access = server.Get<IServiceAccess>();
        var open = new PrivacySettings();
        Assert.True(access.ForCarData(ServiceIds.CarControl, open).Allowed);
        Assert.Equal("privacy_mode", access.ForCarData(ServiceIds.CarControl, new PrivacySettings { PrivateMode = true }).Code);
        Assert.Equal("service_disabled", access.ForCarData(ServiceIds.CarFinder, new PrivacySettings { LocationServicesDisabled = true }).Code);
        Assert.True(access.ForCarData(ServiceIds.CarControl, new PrivacySettings { LocationServicesDisabled = true }).Allowed);
        Assert.Equal("service_disabled", access.ForCarData(ServiceIds.TripControl, new PrivacySettings { NonLocationServicesDisabled = true }).Code);
        Assert.Equal("service_disabled", access.ForCarData(ServiceIds.Climate, new PrivacySettings { DisabledServices = { ServiceIds.Climate } }).Code);
        Assert.Equal("remote_access_disabled", access.ForRemoteControl(ServiceIds.RemoteLock, new PrivacySettings { RemoteAccessDisabled = true }).Code);
        Assert.Equal("privacy_mode", access.ForRemoteControl(ServiceIds.RemoteLock, new PrivacySettings { PrivateMode = true, RemoteAccessDisabled = true }).Code);
        Assert.False(access.KeepsLocation(ServiceIds.VehicleAlarm, new PrivacySettings { LocationServicesDisabled = true }));

        var everythingOff = new PrivacySettings { PrivateMode = true, LocationServicesDisabled = true, NonLocationServicesDisabled = true, DisabledServices = { ServiceAccess.EmergencyCall } };
        Assert.True(access.ForCarData(ServiceAccess.EmergencyCall, everythingOff).Allowed);
        Assert.True(access.KeepsLocation(ServiceAccess.EmergencyCall, everythingOff));
    }

    [Fact]
    public void No_feature_reads_the_privacy_switches_itself()
    {
        var source = Path.Combine(PortalBrowser.RepositoryRoot(), "src", "Pitwall.Server");
        var owner = Path.Combine(source, "Features", "Privacy", "ServiceAccess.cs");
        string[] switches = ["ServiceIds.IsSwitchedOn(", ".RemoteAccessDisabled", ".LocationServicesDisabled", ".NonLocationServicesDisabled", ".DisabledServices"];
        var readers = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => f != owner && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => switches.Any(File.ReadAllText(f).Contains))
            .Select(f => Path.GetRelativePath(source, f)).ToList();
        Assert.True(readers.Count == 0, $"These read the car's switches instead of asking IServiceAccess: {string.Join(", ", readers)}");
    }
}

public sealed class ServiceAccessOnSqlite(SqliteServer server) : ServiceAccessTests(server), IClassFixture<SqliteServer>;

public sealed class ServiceAccessOnPostgres(PostgresServer server) : ServiceAccessTests(server), IClassFixture<PostgresServer>;
