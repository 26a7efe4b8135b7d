using System.Net;
using System.Net.Sockets;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>What an IP address is, as far as calling it on a subscriber's behalf goes.</summary>
internal enum AddressKind
{
    /// <summary>A public unicast address.</summary>
    Public,

    /// <summary>127.0.0.0/8, ::1.</summary>
    Loopback,

    /// <summary>RFC 1918, carrier-grade NAT (100.64.0.0/10), unique local (fc00::/7) and site-local IPv6.</summary>
    Private,

    /// <summary>169.254.0.0/16 and fe80::/10, where cloud metadata services live.</summary>
    LinkLocal,

    /// <summary>Unspecified, multicast, broadcast, documentation, benchmarking and other special-purpose ranges.</summary>
    Reserved,
}

/// <summary>A webhook target that the server will not call (SSRF); the message says why without quoting the URL.</summary>
internal sealed class WebhookTargetRefusedException(string reason) : Exception(reason);

/// <summary>
/// Keeps webhooks from reaching into the server's own networks (SSRF): a target must be https and resolve only to
/// public addresses, unless private networks are allowed (then also loopback and private addresses, over http too).
/// Link-local and special addresses are always refused. The check runs before sending and again on connecting, against
/// the addresses actually connected to, so a DNS answer that changes in between (rebinding) does not get through.
/// </summary>
internal static class WebhookTargets
{
    /// <summary>Why the server will not call <paramref name="url"/>, or null when it may. Resolves the host name.</summary>
    /// <exception cref="SocketException">The host name does not resolve (now).</exception>
    public static async Task<string?> RefusalAsync(Uri url, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return "webhook URL must be https";
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "webhook URL must not carry credentials";
        }
        var addresses = await ResolveAsync(url.DnsSafeHost, cancellationToken);
        if (addresses.Select(a => Refusal(a, allowPrivateNetworks)).FirstOrDefault(r => r is not null) is { } refused)
        {
            return refused;
        }
        if (url.Scheme == Uri.UriSchemeHttp && addresses.Any(a => Classify(a) == AddressKind.Public))
        {
            return "webhook URL must be https";
        }
        return null;
    }

    /// <summary>Why the server will not connect to <paramref name="address"/>, or null when it may.</summary>
    public static string? Refusal(IPAddress address, bool allowPrivateNetworks) => Classify(address) switch
    {
        AddressKind.Public => null,
        AddressKind.Loopback or AddressKind.Private when allowPrivateNetworks => null,
        AddressKind.Loopback => "webhook host is on loopback",
        AddressKind.Private => "webhook host is on a private network",
        AddressKind.LinkLocal => "webhook host is link-local",
        _ => "webhook host is a special-purpose address",
    };

    public static AddressKind Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4());
        }
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b switch
            {
                [127, ..] => AddressKind.Loopback,
                [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] or [100, >= 64 and <= 127, ..] => AddressKind.Private,
                [169, 254, ..] => AddressKind.LinkLocal,
                [0, ..] or [192, 0, 0, _] or [192, 0, 2, _] or [192, 88, 99, _] or [198, 18 or 19, ..] or [198, 51, 100, _] or
                    [203, 0, 113, _] or [>= 224, ..] => AddressKind.Reserved,
                _ => AddressKind.Public,
            };
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressKind.Reserved;
        }
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressKind.Loopback;
        }
        return b switch
        {
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that decides.
            [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..] => Classify(new IPAddress(b.AsSpan(12, 4))),
            [0x20, 0x02, ..] => Classify(new IPAddress(b.AsSpan(2, 4))),
            [>= 0xfc and <= 0xfd, ..] => AddressKind.Private,
            [0xfe, >= 0xc0, ..] => AddressKind.Private, // site-local (deprecated)
            [0xfe, >= 0x80 and < 0xc0, ..] => AddressKind.LinkLocal,
            // Teredo (2001::/32), ORCHID and documentation (2001:db8::/32) are not places to deliver to.
            [0x20, 0x01, 0x00, 0x00, ..] or [0x20, 0x01, 0x00, >= 0x10 and <= 0x2f, ..] or [0x20, 0x01, 0x0d, 0xb8, ..] => AddressKind.Reserved,
            // Global unicast is 2000::/3; everything else (::, multicast, discard, IPv4-compatible) is special.
            [>= 0x20 and <= 0x3f, ..] => AddressKind.Public,
            _ => AddressKind.Reserved,
        };
    }

    /// <summary>
    /// Connects only to permitted addresses of the host being called: the webhook HTTP client's connect step, so that
    /// the addresses checked are the ones used.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(endPoint.Host, cancellationToken);
        if (addresses.Select(a => Refusal(a, allowPrivateNetworks)).FirstOrDefault(r => r is not null) is { } refused)
        {
            throw new WebhookTargetRefusedException(refused);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }
}
