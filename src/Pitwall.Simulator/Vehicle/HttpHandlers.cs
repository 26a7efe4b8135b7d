using System.Net;
using System.Net.Sockets;

namespace Pitwall.Simulator;

/// <summary>
/// HTTP handlers for the challenge and the WebSocket upgrade. One machine can open only ~28 000 connections
/// from one source address to one server port, so a large fleet against a loopback server spreads its cars
/// over 127.0.0.1..127.0.0.N: the handler binds each socket to its address before connecting.
/// </summary>
public static class HttpHandlers
{
    // Linux: IPPROTO_IP / IP_BIND_ADDRESS_NO_PORT, so bind() does not reserve an ephemeral port before connect().
    private const int IpProtocolIp = 0, IpBindAddressNoPort = 24;

    private static readonly Lazy<HttpMessageInvoker> SharedInvoker = new(() => new HttpMessageInvoker(Create(null)));

    /// <summary>The invoker vehicles use when their options name none.</summary>
    public static HttpMessageInvoker Shared => SharedInvoker.Value;

    /// <param name="localAddress">The address to connect from, or null to let the operating system choose.</param>
    public static SocketsHttpHandler Create(IPAddress? localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (localAddress is not null)
        {
            // A bound socket goes straight to the server; a proxy would defeat the point.
            handler.UseProxy = false;
            handler.ConnectCallback = (context, cancellationToken) => ConnectFromAsync(localAddress, context.DnsEndPoint, cancellationToken);
        }
        return handler;
    }

    /// <returns>127.0.0.(1 + index mod count): the loopback source address of car <paramref name="index"/>.</returns>
    public static IPAddress LoopbackSource(int index, int count) => new([127, 0, 0, (byte)(1 + index % count)]);

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress localAddress, DnsEndPoint server, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(server.Host, localAddress.AddressFamily, cancellationToken);
        var socket = new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (OperatingSystem.IsLinux())
            {
                try
                {
                    socket.SetRawSocketOption(IpProtocolIp, IpBindAddressNoPort, [1, 0, 0, 0]);
                }
                catch (SocketException)
                {
                    // Older kernels: binding still works, with fewer ports per address.
                }
            }
            socket.Bind(new IPEndPoint(localAddress, 0));
            await socket.ConnectAsync(addresses, server.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
