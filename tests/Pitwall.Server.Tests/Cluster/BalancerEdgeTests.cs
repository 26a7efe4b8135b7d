using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Npgsql;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Cluster;

/// <summary>
/// What the instances see of a client behind the shipped HAProxy configuration: the client's own address and scheme (not
/// HAProxy's, not what the client claims), and a car's client certificate through the TLS passthrough frontend.
/// </summary>
[Collection(ProcessCluster.Collection)]
public sealed class BalancerEdgeTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>An HTTP client whose connections come from <paramref name="source"/> (another loopback address: "outside").</summary>
    private static HttpClient From(string source, Uri address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = address };

    private static HttpRequestMessage Spoofed(string path, string claimedAddress)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", claimedAddress);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("Forwarded", $"for={claimedAddress};proto=https");
        return request;
    }

    /// <summary>The issuer OpenIddict derives from the request: the scheme and host the instance believes it was called with.</summary>
    private static async Task<string> IssuerSeenAsync(HttpClient client, string claimedAddress)
    {
        using var response = await client.SendAsync(Spoofed("/.well-known/openid-configuration", claimedAddress));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("issuer").GetString()!;
    }

    private async Task<IReadOnlyList<string>> LoggedAddressesAsync(params string[] addresses)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT DISTINCT client_ip FROM access_log WHERE client_ip = ANY(@addresses) ORDER BY 1", connection);
        command.Parameters.AddWithValue("addresses", addresses);
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }

    [Fact]
    public async Task Behind_the_balancer_an_instance_sees_the_clients_address_and_scheme_never_what_the_client_claims()
    {
        // Through HAProxy from 127.0.0.3, claiming 203.0.113.7 over https: HAProxy replaces the claim with what it saw.
        using var throughBalancer = From("127.0.0.3", cluster.Balancer.Address);
        Assert.StartsWith($"http://{cluster.Balancer.Address.Authority}", await IssuerSeenAsync(throughBalancer, "203.0.113.7"), StringComparison.Ordinal);
        using (var response = await throughBalancer.SendAsync(Spoofed("/api/v1/vehicles", "203.0.113.7")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        // Straight to an instance from 127.0.0.4, which is no trusted proxy: its forwarding headers count for nothing.
        using var direct = From("127.0.0.4", cluster.A.Address);
        Assert.StartsWith($"http://{cluster.A.Address.Authority}", await IssuerSeenAsync(direct, "203.0.113.8"), StringComparison.Ordinal);
        using (var response = await direct.SendAsync(Spoofed("/api/v1/vehicles", "203.0.113.8")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The access log (written in batches) names each client by its own address: not HAProxy's, not the claimed ones.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<string> logged;
        while ((logged = await LoggedAddressesAsync("127.0.0.3", "127.0.0.4", "203.0.113.7", "203.0.113.8")).Count < 2 && waited.Elapsed < Patience)
        {
            await Task.Delay(200);
        }
        Assert.Equal(["127.0.0.3", "127.0.0.4"], logged);
    }

    [Fact]
    public async Task A_car_with_a_client_certificate_logs_in_through_the_balancers_tls_passthrough()
    {
        var vin = ProcessCluster.CertificateCar;
        using var certificate = X509Certificate2.CreateFromPemFile(
            Path.Combine(cluster.CarCertificates, $"{vin}.crt"), Path.Combine(cluster.CarCertificates, $"{vin}.key"));
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(cluster.CarCertificates, "ca.crt"));
        using var socket = new ClientWebSocket();
        // PKCS#12 round trip: SslStream on Linux wants the key in an exportable store form.
        socket.Options.ClientCertificates.Add(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
        // The car trusts only the vehicle CA: the certificate it sees is the instance's own, not one of HAProxy's.
        socket.Options.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && chain.Build(new X509Certificate2(presented!));
        };
        using var timeout = new CancellationTokenSource(Patience);
        // No Pitwall-Vin / -Nonce / -Proof headers: the certificate is the only credential.
        await socket.ConnectAsync(new Uri(cluster.Balancer.CarAddress, "vehicle/v1").ToWebSocket(), timeout.Token);
        await socket.SendAsync(new Envelope { Hello = new Hello { ProtocolVersion = 1, Vin = vin } }.ToByteArray(), WebSocketMessageType.Binary, true, timeout.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(Envelope.PayloadOneofCase.Welcome, Envelope.Parser.ParseFrom(buffer, 0, received.Count).PayloadCase);
        var holder = (await cluster.HoldersAsync([vin]))[vin];
        Assert.Contains(holder, cluster.Instances.Select(i => i.Name));
    }

    [Fact]
    public async Task Pairing_starts_are_limited_per_account_over_all_instances()
    {
        var vin = ProcessCluster.Vin(ProcessCluster.FleetSize - 1); // offline: the code waits in its outbox
        var owner = await cluster.NewOwnerAsync();
        var statuses = new List<HttpStatusCode>();
        // Ten an hour in all, whichever instances the requests reach: with a counter per instance, each of the three allowed ten.
        for (var attempt = 0; attempt < 11; attempt++)
        {
            using var client = cluster.Instances[attempt % 3].ClientFor(owner);
            using var response = await client.PostAsJsonAsync("/api/v1/pairings", new { vin });
            statuses.Add(response.StatusCode);
            if (attempt == 10)
            {
                Assert.Equal("rate_limited", (await response.JsonAsync()).GetProperty("code").GetString());
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50));
            }
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, 10), HttpStatusCode.TooManyRequests], statuses);
        // Another account is not affected.
        using var other = cluster.B.ClientFor(await cluster.NewOwnerAsync());
        using var fine = await other.PostAsJsonAsync("/api/v1/pairings", new { vin });
        Assert.Equal(HttpStatusCode.Accepted, fine.StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client_address_over_all_instances_at_the_balancer()
    {
        // A second HAProxy with the shipped file, allowing 5 sign-in requests per address and minute; each instance's own
        // limit (Pitwall:Http:AuthRequestsPerMinute) is 100 000 here, so only the balancer can refuse.
        await using var strict = await TestHaproxy.StartAsync(
            [.. cluster.Instances.Select(i => i.HostPort)], [.. cluster.Instances.Select(i => i.TlsHostPort)], signInsPerMinute: 5);
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            // A new connection each time: leastconn spreads them over the instances.
            using var client = From("127.0.0.6", strict.Address);
            using var response = await client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["username"] = "nobody@example.com", ["password"] = "wrong " + attempt,
            }));
            statuses.Add(response.StatusCode);
            if (attempt == 5)
            {
                Assert.Equal("rate_limited", (await response.JsonAsync()).GetProperty("code").GetString());
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(5));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[5]);
        // Another address is not affected.
        using var other = From("127.0.0.7", strict.Address);
        using var fine = await other.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "nobody@example.com", ["password"] = "wrong",
        }));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, fine.StatusCode);
    }
}
