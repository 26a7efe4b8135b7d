using System.Net;
using System.Net.Http.Json;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.UsageStatistics;

/// <summary>C8: service use is counted per day, service and channel, with nothing that points at a car or a person.</summary>
public abstract class UsageStatisticsTests(PitwallServer server)
{
    [Fact]
    public async Task App_and_car_requests_are_counted_anonymously_and_reported_to_admins()
    {
        var owner = await server.NewOwnerAsync();
        var (vin, secret) = await server.RegisterVehicleAsync();
        var me = (await (await server.ClientWith(owner.AccessToken).GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString()!;
        await server.Get<PairingService>().AssignPrimaryAsync(vin, me, CancellationToken.None);
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret);
        await car.WaitForAckAsync(await car.ReportAsync(Protocol.V1.Trigger.EngineStop,
            TestCar.Number(Protocol.SignalCatalog.Odometer, 5, server.Clock.GetUtcNow())));
        var client = server.ClientWith(owner.AccessToken);
        await client.GetAsync($"/api/v1/vehicles/{vin}/status");
        await client.GetAsync($"/api/v1/vehicles/{vin}/location");
        await client.GetAsync($"/api/v1/vehicles/{vin}/charging");
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash" });
        var command = await car.ReceiveAsync(Protocol.V1.Envelope.PayloadOneofCase.Command);
        var resultSeq = car.NextSeq();
        await car.SendAsync(new Protocol.V1.Envelope
        {
            Seq = resultSeq,
            CommandResult = new Protocol.V1.CommandResult { CommandId = command.Command.CommandId, Outcome = Protocol.V1.CommandResult.Types.Outcome.Performed },
        });
        await car.WaitForAckAsync(resultSeq);
        await server.Get<Pitwall.Server.Features.UsageStatistics.UsageStatistics>().FlushAsync(CancellationToken.None);

        var columns = server.Dialect == SqlDialect.Postgres
            ? "SELECT column_name FROM information_schema.columns WHERE table_name = 'usage_statistics'"
            : "SELECT name FROM pragma_table_info('usage_statistics')";
        var names = await server.Get<Database>().ReadAsync(c => c.QueryAsync<string>(columns), CancellationToken.None);
        Assert.Equal(["channel", "count", "day_start", "service"], names.Order());

        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Admin", "admin", "an admin password", CancellationToken.None);
        var admin = server.ClientWith((await server.SignInAsync(email, "an admin password")).AccessToken);
        var report = await (await admin.GetAsync("/api/v1/admin/usage-statistics")).JsonAsync();
        var rows = report.EnumerateArray().Select(r => (r.GetProperty("service").GetString(), r.GetProperty("channel").GetString(), r.GetProperty("count").GetInt64())).ToList();
        Assert.Contains(rows, r => r is ("car_control", "car", >= 1));
        Assert.Contains(rows, r => r is ("car_control", "app", >= 1));
        Assert.Contains(rows, r => r is ("car_finder", "app", >= 1));
        Assert.Contains(rows, r => r is ("e_control", "app", >= 1));
        Assert.Contains(rows, r => r is ("remote_horn_lights", "app", >= 1));
        Assert.Contains(rows, r => r is ("remote_horn_lights", "car", >= 1));
        Assert.DoesNotContain(vin, report.GetRawText());

        await (await admin.GetAsync("/api/v1/admin/usage-statistics?from=2026-13-01")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await client.GetAsync("/api/v1/admin/usage-statistics")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }
}

public sealed class UsageStatisticsOnSqlite(SqliteServer server) : UsageStatisticsTests(server), IClassFixture<SqliteServer>;

public sealed class UsageStatisticsOnPostgres(PostgresServer server) : UsageStatisticsTests(server), IClassFixture<PostgresServer>;
