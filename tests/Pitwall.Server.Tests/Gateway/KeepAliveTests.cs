using System.Net.WebSockets;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Gateway;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Gateway;

/// <summary>A server that pings every second and gives up after one more.</summary>
public sealed class FastKeepAliveServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Pitwall:Gateway:KeepAliveInterval", "00:00:01"),
        new("Pitwall:Gateway:KeepAliveTimeout", "00:00:01"),
    ];
}

public sealed class KeepAliveTests(FastKeepAliveServer server) : IClassFixture<FastKeepAliveServer>
{
    [Fact]
    public async Task A_car_that_stops_answering_pings_is_dropped_and_reads_as_offline()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        using var subscription = server.Get<LiveEventHub>().Subscribe("test", [vin]);
        var (nonce, proof) = await TestCar.AuthenticateAsync(server.Client.BaseAddress!, vin, secret);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(VehicleAuth.VinHeader, vin);
        socket.Options.SetRequestHeader(VehicleAuth.NonceHeader, nonce);
        socket.Options.SetRequestHeader(VehicleAuth.ProofHeader, proof);
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // this car never pings and, never reading, never answers a ping
        await socket.ConnectAsync(new Uri(server.Client.BaseAddress!, "vehicle/v1").ToWebSocket(), CancellationToken.None);
        await socket.SendAsync(new Envelope { Hello = new Hello { ProtocolVersion = 1, Vin = vin } }.ToByteArray(), WebSocketMessageType.Binary, true, CancellationToken.None);

        var online = false;
        await foreach (var e in subscription.Events.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            var isOnline = (bool)e.Data.GetType().GetProperty("online")!.GetValue(e.Data)!;
            if (isOnline)
            {
                online = true;
                Assert.True(server.Get<IVehicleLink>().IsOnline(vin));
            }
            else if (online)
            {
                break; // dropped by the keep-alive timeout, without any frame or close from the car
            }
        }
        Assert.False(server.Get<IVehicleLink>().IsOnline(vin));
    }
}
