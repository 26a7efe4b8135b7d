using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Gateway;

/// <summary>A server that also listens on https, where cars log in with certificates from the vehicle CA.</summary>
public sealed class TlsServer : SqliteServer
{
    private readonly string _ca = Directory.CreateTempSubdirectory("pitwall-ca-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("urls", "http://127.0.0.1:0;https://127.0.0.1:0"),
        new("Pitwall:VehicleCa:Directory", _ca),
    ];

    public Uri HttpsAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => a.StartsWith("https", StringComparison.Ordinal)));
}

public sealed class MutualTlsTests(TlsServer server) : IClassFixture<TlsServer>
{
    private async Task<ClientWebSocket> ConnectAsync(X509Certificate2? certificate)
    {
        var authority = server.Get<VehicleCertificateAuthority>();
        var socket = new ClientWebSocket();
        if (certificate is not null)
        {
            socket.Options.ClientCertificates.Add(certificate);
        }
        // The car trusts only the vehicle CA, which also issued the server's certificate.
        socket.Options.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority.Root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && chain.Build(new X509Certificate2(cert!));
        };
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri(server.HttpsAddress, "vehicle/v1").ToWebSocket(), CancellationToken.None);
        return socket;
    }

    [Fact]
    public async Task A_car_with_a_vehicle_ca_certificate_logs_in_without_a_secret()
    {
        var (vin, _) = await server.RegisterVehicleAsync();
        using var certificate = server.Get<VehicleCertificateAuthority>().Issue(vin, TimeSpan.FromDays(30));
        using var socket = await ConnectAsync(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
        await socket.SendAsync(new Envelope { Hello = new Hello { ProtocolVersion = 1, Vin = vin } }.ToByteArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(Envelope.PayloadOneofCase.Welcome, Envelope.Parser.ParseFrom(buffer, 0, received.Count).PayloadCase);
    }

    [Fact]
    public async Task A_certificate_for_one_vin_cannot_speak_for_another()
    {
        var (vin, _) = await server.RegisterVehicleAsync();
        var (other, _) = await server.RegisterVehicleAsync();
        using var certificate = server.Get<VehicleCertificateAuthority>().Issue(vin, TimeSpan.FromDays(30));
        using var socket = await ConnectAsync(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
        await socket.SendAsync(new Envelope { Hello = new Hello { ProtocolVersion = 1, Vin = other } }.ToByteArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(ProtocolError.Types.Code.VinMismatch, Envelope.Parser.ParseFrom(buffer, 0, received.Count).Error.Code);
    }

    [Fact]
    public async Task Certificates_from_another_ca_or_expired_ones_are_refused()
    {
        var (vin, _) = await server.RegisterVehicleAsync();
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest($"CN={vin}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pkcs12), null)));
        Assert.Contains("401", refused.Message);

        using var shortLived = server.Get<VehicleCertificateAuthority>().Issue(vin, TimeSpan.FromDays(1));
        server.Clock.Advance(TimeSpan.FromDays(2));
        await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(X509CertificateLoader.LoadPkcs12(shortLived.Export(X509ContentType.Pkcs12), null)));
    }
}
