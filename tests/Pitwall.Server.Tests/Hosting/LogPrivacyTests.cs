using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Hosting;

/// <summary>Every log line written while an owner pairs, watches and commands a car, at the levels a production server logs.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Capture(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Capture(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The message, every structured value and the exception: all of it would reach a log store.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            logs.Lines.Enqueue($"{category} {formatter(state, exception)} {values} {exception}");
        }
    }
}

public sealed class LogCapturingServer : SqliteServer
{
    public CapturedLogs Logs { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Logging:LogLevel:Default", "Information"), new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

public sealed class LogPrivacyTests(LogCapturingServer server) : IClassFixture<LogCapturingServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Logs_of_a_whole_owner_journey_hold_no_vin_position_name_email_phone_token_or_pin()
    {
        var name = "Zoltan Quixwood";
        var email = $"zoltan-{Guid.NewGuid():N}@example.com";
        await server.Client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "correct horse battery", name });
        await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = email, ["password"] = "wrong password here",
        }));
        var tokens = await server.SignInAsync(email, "correct horse battery");
        var client = server.ClientWith(tokens.AccessToken);

        var (vin, secret) = await server.RegisterVehicleAsync();
        var code = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = vin, Secret = secret, Seed = 31, StartPosition = new GeoPosition(52.123456, 13.654321),
        });
        car.PairingCodeShown += (_, shown) => code.TrySetResult(shown);
        await car.ConnectAsync().WaitAsync(Patience);
        var pairing = await (await client.PostAsJsonAsync("/api/v1/pairings", new { vin })).JsonAsync();
        var paired = await client.PostAsJsonAsync($"/api/v1/pairings/{pairing.GetProperty("id").GetString()}/confirm", new { code = await code.Task.WaitAsync(Patience) });
        Assert.Equal(HttpStatusCode.OK, paired.StatusCode);

        await car.DriveAsync(TimeSpan.FromMinutes(2));
        await car.StopEngineAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await client.GetAsync($"/api/v1/vehicles/{vin}/status");
        await client.GetAsync($"/api/v1/vehicles/{vin}/location");
        await client.PutAsJsonAsync("/api/v1/me/remote-pin", new { pin = "80417" });
        var challenge = await (await client.PostAsync($"/api/v1/vehicles/{vin}/commands/pin-challenge", null)).JsonAsync();
        var proof = RemotePins.Proof("80417", challenge.GetProperty("salt").GetString()!, challenge.GetProperty("challenge").GetString()!);
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "unlock", challenge = challenge.GetProperty("challenge").GetString(), pinProof = proof });
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/contracts", new
        {
            packageId = "car_security",
            carSecurity = new { phoneNumbers = new[] { "+491709876543" }, securityQuestion = "Pet?", securityAnswer = "Grizzlebeard", colour = "Teal", registrationNumber = "S-ZQ 77" },
        });
        await client.GetAsync("/api/v1/me/data-export");
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        var logs = string.Join("\n", server.Logs.Lines);
        Assert.Contains("veh-", logs, StringComparison.Ordinal); // the car is logged, by reference
        foreach (var secretText in new[]
        {
            vin, "52.1234", "13.6543", name, "Quixwood", email, "+491709876543", "Grizzlebeard", "S-ZQ 77", tokens.AccessToken, tokens.RefreshToken,
            "80417", proof, "correct horse battery", "wrong password here", await code.Task,
        })
        {
            Assert.False(logs.Contains(secretText, StringComparison.OrdinalIgnoreCase), $"the logs contain '{secretText}'");
        }
    }
}
