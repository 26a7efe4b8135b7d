using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pitwall.Bench;

/// <summary>An owner account of the commands benchmark: its bearer token and the cars it paired (indexes into the fleet).</summary>
internal sealed record Owner(int Index, string Email, string AccountId, AuthenticationHeaderValue Bearer, IReadOnlyList<int> Cars);

/// <summary>
/// Owner accounts as an operator and an app make them: <c>pitwall admin create-user</c>, then the OAuth password grant,
/// then the pairing flow for each car (<c>POST /api/v1/pairings</c>, the code the car receives over its link, confirm).
/// </summary>
internal static class Owners
{
    public const string Password = "pitwall-bench-owner";

    /// <summary>Pitwall allows 10 pairings per account per hour (VehicleEndpoints.PairingPartition, not configurable).</summary>
    public const int MaxCarsPerOwner = 10;

    public static string Email(int index) => $"owner{index:D5}@bench.pitwall.dev";

    /// <summary>
    /// <c>pitwall admin create-user</c> once per owner (before the server runs), a few at a time: each is a short process of
    /// its own, and SQLite's busy timeout orders their writes. Returns the account ids.
    /// </summary>
    public static async Task<string[]> CreateAsync(PitwallServer server, string database, int count, string workDirectory)
    {
        var logs = Path.Combine(workDirectory, "create-user");
        Directory.CreateDirectory(logs);
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, _) =>
        {
            using var create = ChildProcess.Start(
                ChildProcess.DotnetHost(),
                [server.ServerDll, "admin", "create-user", "--email", Email(i), "--name", $"Bench Owner {i}", "--role", "owner", "--password", Password,
                    "--database", $"Data Source={database}"],
                PitwallServer.BenchmarkEnvironment(), workDirectory, Path.Combine(logs, $"owner{i:D5}.log"));
            if (!await create.WaitForExitAsync(TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"create-user did not finish; see {create.LogPath}.");
            }
            const string created = "created account ";
            var line = create.Tail(5).Split('\n').FirstOrDefault(l => l.StartsWith(created, StringComparison.Ordinal));
            ids[i] = line?[created.Length..].Trim() ?? throw new InvalidOperationException($"create-user failed:{Environment.NewLine}{create.Tail(5)}");
        });
        return ids;
    }

    /// <summary>The password grant of <c>POST /api/v1/auth/token</c>; the access token as a bearer header.</summary>
    public static async Task<AuthenticationHeaderValue> SignInAsync(HttpClient http, string email, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = email,
            ["password"] = Password,
        });
        using var response = await http.PostAsync("/api/v1/auth/token", form, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode} {body}");
        }
        return new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
    }

    /// <summary>Pairs one car to its owner: start, the code the car shows (its PairingCode frame), confirm.</summary>
    public static async Task PairAsync(HttpClient http, Owner owner, RawCar car, CancellationToken cancellationToken)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/v1/pairings") { Content = JsonContent.Create(new { vin = car.Vin }) };
        start.Headers.Authorization = owner.Bearer;
        using var started = await http.SendAsync(start, cancellationToken);
        var pairing = await started.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (started.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Pairing {car.Vin} to {owner.Email} failed: {(int)started.StatusCode} {pairing}");
        }
        var code = await car.PairingCode.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        using var confirm = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/pairings/{pairing.GetProperty("id").GetString()}/confirm")
        {
            Content = JsonContent.Create(new { code }),
        };
        confirm.Headers.Authorization = owner.Bearer;
        using var confirmed = await http.SendAsync(confirm, cancellationToken);
        if (confirmed.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Confirming the pairing of {car.Vin} failed: {(int)confirmed.StatusCode} {await confirmed.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
