using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pitwall.Bench.Soc;

/// <summary>
/// The SOC benchmark's accounts, made the way an operator and the apps make them: security-centre operators with
/// <c>pitwall admin create-user --role soc_operator</c>; owners (<see cref="Owners"/>) who pair their cars through the
/// pairing flow and buy the <c>car_security</c> package for each with the B2 data (phone numbers, security question and
/// answer, colour, registration number), as an app does: <c>POST /api/v1/vehicles/{vin}/contracts</c>.
/// </summary>
internal static class SocSetup
{
    public static string OperatorEmail(int index) => $"soc{index:D3}@bench.pitwall.dev";

    public static Task CreateOperatorsAsync(PitwallServer server, string database, int count, string workDirectory) =>
        CreateStaffAsync(server, database, count, workDirectory, "soc_operator", OperatorEmail);

    /// <summary><c>pitwall admin create-user --role</c> <paramref name="role"/> for staff accounts (before the server runs).</summary>
    public static async Task CreateStaffAsync(PitwallServer server, string database, int count, string workDirectory, string role, Func<int, string> email)
    {
        var logs = Path.Combine(workDirectory, "create-user");
        Directory.CreateDirectory(logs);
        for (var i = 0; i < count; i++)
        {
            using var create = ChildProcess.Start(
                ChildProcess.DotnetHost(),
                [server.ServerDll, "admin", "create-user", "--email", email(i), "--name", $"Bench Staff {i}", "--role", role,
                    "--password", Owners.Password, "--database", $"Data Source={database}"],
                PitwallServer.BenchmarkEnvironment(), workDirectory, Path.Combine(logs, $"{role}{i:D3}.log"));
            if (!await create.WaitForExitAsync(TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"create-user did not finish; see {create.LogPath}.");
            }
            if (!create.Tail(5).Contains("created account ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"create-user --role {role} failed:{Environment.NewLine}{create.Tail(5)}");
            }
        }
    }

    /// <summary>
    /// The owners (<see cref="Owners.Email"/> 0 … <paramref name="ownerCount"/> − 1, <see cref="Owners.MaxCarsPerOwner"/> cars each, in
    /// fleet order) sign in and pair their cars, 16 at a time; <paramref name="then"/> runs for each car once it is paired.
    /// </summary>
    public static async Task PairAllAsync(
        HttpClient http, IReadOnlyList<LinkCar> cars, int ownerCount, Func<AuthenticationHeaderValue, LinkCar, CancellationToken, Task> then)
    {
        var bearers = new AuthenticationHeaderValue[ownerCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, ownerCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (o, ct) =>
            bearers[o] = await Owners.SignInAsync(http, Owners.Email(o), ct));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await Parallel.ForEachAsync(cars, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = timeout.Token }, async (car, ct) =>
        {
            var owner = bearers[(car.Index - cars[0].Index) / Owners.MaxCarsPerOwner];
            await PairAsync(http, owner, car, ct);
            await then(owner, car, ct);
        });
    }

    /// <summary>Pairs one car to its owner: start, the code the car shows (its PairingCode frame), confirm.</summary>
    public static async Task PairAsync(HttpClient http, AuthenticationHeaderValue owner, LinkCar car, CancellationToken cancellationToken)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/v1/pairings") { Content = JsonContent.Create(new { vin = car.Vin }) };
        start.Headers.Authorization = owner;
        using var started = await http.SendAsync(start, cancellationToken);
        var pairing = await started.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (started.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Pairing {car.Vin} failed: {(int)started.StatusCode} {pairing}");
        }
        var code = await car.PairingCode.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        using var confirm = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pairings/{pairing.GetProperty("id").GetString()}/confirm")
        {
            Content = JsonContent.Create(new { code }),
        };
        confirm.Headers.Authorization = owner;
        using var confirmed = await http.SendAsync(confirm, cancellationToken);
        if (confirmed.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Confirming the pairing of {car.Vin} failed: {(int)confirmed.StatusCode} {await confirmed.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>The owner buys Car Security for the car, with the B2 data; the server then sends the car its active services.</summary>
    public static async Task BuyCarSecurityAsync(HttpClient http, AuthenticationHeaderValue owner, LinkCar car, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/vehicles/{car.Vin}/contracts")
        {
            Content = JsonContent.Create(new
            {
                packageId = "car_security",
                carSecurity = new
                {
                    phoneNumbers = new[] { $"+49170{car.Index:D7}", "+49711123456" },
                    securityQuestion = "Name of my first car?",
                    securityAnswer = "Blue Whale",
                    colour = "Frozen Blue",
                    registrationNumber = $"S-PW {car.Index % 10_000}",
                },
            }),
        };
        request.Headers.Authorization = owner;
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Buying car_security for {car.Vin} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
