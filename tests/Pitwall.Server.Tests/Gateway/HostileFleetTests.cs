using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CsCheck;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Gateway;

/// <summary>
/// Generated hostile cars among well-behaved ones: each sample is a new car sending random absurd messages of every
/// vehicle message type (some with absurd seq jumps). Well-behaved cars must stay connected with every report stored;
/// the hostile cars' values must be absent or marked; every owner read must answer.
/// </summary>
public abstract class HostileFleetTests(PitwallServer server)
{
    private Uri Server => server.Client.BaseAddress!;

    [Fact]
    public async Task Random_absurd_content_of_every_message_type_never_disturbs_other_cars_or_owners_reads()
    {
        var bystanders = new List<TestCar>();
        for (var i = 0; i < 3; i++)
        {
            var (vin, secret) = await server.RegisterVehicleAsync();
            bystanders.Add(await TestCar.ConnectAsync(Server, vin, secret));
        }
        var bystanderReports = new List<(string Vin, long Seq)>();
        var hostile = new List<OwnedVehicle>();

        await Gen.Select(HostileFrames.Any, HostileFrames.SeqStep).Array[1, 6].SampleAsync(async frames =>
        {
            var car = await server.OwnedVehicleAsync();
            hostile.Add(car);
            // Its owner reads the owner's manual too (which needs a usage profile first).
            (await car.Client.PutAsJsonAsync("/api/v1/manual/profile", new { name = "Owner" })).EnsureSuccessStatusCode();
            await using var link = await TestCar.ConnectAsync(Server, car.Vin, car.Secret);
            await SendUntilClosedAsync(link, frames);
            foreach (var bystander in bystanders)
            {
                var seq = await bystander.ReportAsync(Trigger.Periodic, TestCar.Number(SignalCatalog.Odometer, 10, server.Clock.GetUtcNow()));
                await bystander.WaitForAckAsync(seq); // still on its first connection
                bystanderReports.Add((bystander.Vin, (long)seq));
            }
        }, iter: 40, threads: 1, seed: "0N0XIzNsQ0O2");

        Assert.All(bystanders, b => Assert.Equal(WebSocketState.Open, b.State));
        Assert.All(bystanderReports, r => Assert.Contains(r, server.Ingested));
        var reads = await VehicleReadsAsync();
        foreach (var car in hostile)
        {
            await AssertStoredValuesPlausibleAsync(car.Vin);
            foreach (var read in reads)
            {
                var response = await car.Client.GetAsync(read.Replace("{vin}", car.Vin, StringComparison.Ordinal));
                Assert.True((int)response.StatusCode < 300 || response.StatusCode is System.Net.HttpStatusCode.Forbidden, $"{read}: {(int)response.StatusCode}");
                if ((int)response.StatusCode < 300 && response.Content.Headers.ContentType?.MediaType == "application/json")
                {
                    AssertFiniteNumbers(await response.JsonAsync());
                }
            }
        }
        foreach (var bystander in bystanders)
        {
            await bystander.DisposeAsync();
        }
    }

    private async Task SendUntilClosedAsync(TestCar link, (Func<long, Envelope> Build, ulong Step)[] frames)
    {
        var seq = link.NextSeq();
        try
        {
            foreach (var (build, step) in frames)
            {
                var envelope = build(server.Clock.GetUtcNow().ToUnixTimeMilliseconds());
                envelope.Seq = seq;
                await link.SendAsync(envelope);
                seq = unchecked(seq + step);
            }
            await link.WaitForAckAsync(await link.ReportAsync(Trigger.Periodic));
        }
        catch (Exception e) when (e is WebSocketException or System.Threading.Channels.ChannelClosedException or ObjectDisposedException)
        {
            // The server refused something and closed this car's connection: expected for many samples.
        }
    }

    /// <summary>Every GET operation on one vehicle without further path parameters, from the OpenAPI document.</summary>
    private async Task<List<string>> VehicleReadsAsync()
    {
        var document = await (await server.Client.GetAsync("/openapi/v1.json")).JsonAsync();
        return [.. document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/v1/vehicles/{vin}", StringComparison.Ordinal) && p.Name.Count(c => c == '{') == 1 && p.Value.TryGetProperty("get", out _))
            .Select(p => p.Name)];
    }

    private async Task AssertStoredValuesPlausibleAsync(string vin)
    {
        var stored = await server.Get<StatusStore>().FindAsync(vin, CancellationToken.None);
        foreach (var value in stored?.Values ?? [])
        {
            if (SignalCatalog.Find(value.Id) is { } signal)
            {
                Assert.True(value.ValueCase == SignalValue.ValueOneofCase.Unavailable || signal.IsPlausible(value), $"{signal.Path}: {value}");
            }
        }
    }

    private static void AssertFiniteNumbers(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    AssertFiniteNumbers(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertFiniteNumbers(item);
                }
                break;
            case JsonValueKind.Number:
                Assert.True(double.IsFinite(element.GetDouble()));
                break;
        }
    }
}

public sealed class HostileFleetOnSqlite(SqliteServer server) : HostileFleetTests(server), IClassFixture<SqliteServer>;

public sealed class HostileFleetOnPostgres(PostgresServer server) : HostileFleetTests(server), IClassFixture<PostgresServer>;
