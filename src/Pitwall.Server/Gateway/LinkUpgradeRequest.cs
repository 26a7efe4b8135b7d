using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Pitwall.Protocol;

namespace Pitwall.Server.Gateway;

/// <summary>A car's WebSocket upgrade of the link, read below Kestrel's HTTP layer: the key to answer and what the car offers.</summary>
internal sealed record LinkUpgrade(string Key, LinkCredentials Credentials);

internal enum LinkHeadKind
{
    /// <summary>So far the bytes could be a link upgrade: read more.</summary>
    NeedMore,

    /// <summary>Anything else, or anything unusual: Kestrel's HTTP layer takes the connection as it is.</summary>
    Other,

    /// <summary>A well-formed WebSocket upgrade of <c>/vehicle/v1</c> (RFC 6455 §4.2.1).</summary>
    Upgrade,
}

/// <summary>
/// Recognises the one request the vehicle link needs — <c>GET /vehicle/v1 HTTP/1.1</c> with a WebSocket upgrade — from the
/// first bytes of a connection. It is strict on purpose: whatever it does not recognise exactly (another path, an
/// escaped one, a sub-protocol, a body, a repeated header, a head over 8 KiB) is left to Kestrel, which answers it as
/// before, so the lean path changes nothing a client can observe.
/// </summary>
internal static class LinkUpgradeRequest
{
    public const int MaxHeadBytes = 8 * 1024;
    private static readonly byte[] Method = "GET "u8.ToArray();
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    /// <param name="headLength">Bytes of the request head including its blank line, when an upgrade.</param>
    public static LinkHeadKind Read(ReadOnlySequence<byte> buffer, out LinkUpgrade? upgrade, out long headLength)
    {
        upgrade = null;
        headLength = 0;
        if (!StartsLikeLink(buffer))
        {
            return LinkHeadKind.Other;
        }
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, EndOfHead))
        {
            return buffer.Length >= MaxHeadBytes ? LinkHeadKind.Other : LinkHeadKind.NeedMore;
        }
        if (head.Length + EndOfHead.Length > MaxHeadBytes)
        {
            return LinkHeadKind.Other;
        }
        upgrade = Parse(Encoding.Latin1.GetString(head));
        headLength = head.Length + EndOfHead.Length;
        return upgrade is null ? LinkHeadKind.Other : LinkHeadKind.Upgrade;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> answer to a key (RFC 6455 §4.2.2).</summary>
    public static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    // "GET /vehicle/v1" and then a space, a slash or a query: decided from the first bytes, so other requests wait for nothing.
    private static bool StartsLikeLink(ReadOnlySequence<byte> buffer)
    {
        var path = EnvelopeCodec.WebSocketPath;
        Span<byte> start = stackalloc byte[Method.Length + path.Length + 1];
        var length = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, length).CopyTo(start);
        for (var i = 0; i < length; i++)
        {
            var expected = i < Method.Length ? Method[i] : i < start.Length - 1 ? (byte)path[i - Method.Length] : (byte)0;
            var actual = start[i];
            var matches = i == start.Length - 1 ? actual is (byte)' ' or (byte)'/' or (byte)'?' : char.ToLowerInvariant((char)actual) == char.ToLowerInvariant((char)expected);
            if (!matches)
            {
                return false;
            }
        }
        return true;
    }

    private static LinkUpgrade? Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine is not ["GET", var target, "HTTP/1.1"] || target.Contains('%')
            || !VehicleLinkEndpoint.IsLinkPath(new PathString(target.Split('?')[0])))
        {
            return null;
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(" \t") || !headers.TryAdd(line[..colon], line[(colon + 1)..].Trim(' ', '\t')))
            {
                return null; // malformed, folded or repeated: Kestrel judges it
            }
        }
        if (!headers.ContainsKey("Host") || headers.ContainsKey("Sec-WebSocket-Protocol")
            || headers.ContainsKey("Content-Length") || headers.ContainsKey("Transfer-Encoding")
            || !string.Equals(headers.GetValueOrDefault("Upgrade"), "websocket", StringComparison.OrdinalIgnoreCase)
            || !HasToken(headers.GetValueOrDefault("Connection"), "Upgrade")
            || headers.GetValueOrDefault("Sec-WebSocket-Version") != "13"
            || headers.GetValueOrDefault("Sec-WebSocket-Key") is not { } key || !IsKey(key))
        {
            return null;
        }
        return new LinkUpgrade(key, new LinkCredentials(
            headers.GetValueOrDefault(VehicleAuth.VinHeader), headers.GetValueOrDefault(VehicleAuth.NonceHeader), headers.GetValueOrDefault(VehicleAuth.ProofHeader)));
    }

    private static bool HasToken(string? list, string token) =>
        list is not null && list.Split(',').Any(t => t.Trim().Equals(token, StringComparison.OrdinalIgnoreCase));

    // A base64-encoded 16-byte value (RFC 6455 §4.2.1, item 5).
    private static bool IsKey(string key)
    {
        Span<byte> bytes = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, bytes, out var written) && written == 16;
    }
}
