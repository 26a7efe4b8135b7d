using System.Buffers;
using System.Text;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Tests.Gateway;

public sealed class LinkUpgradeRequestTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Upgrade(string target = "/vehicle/v1", string extra = "", string version = "13", string key = Key) =>
        $"GET {target} HTTP/1.1\r\nHost: cloud.example\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
        $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\nPitwall-Vin: WP0ZZZ99ZTS392124\r\nPitwall-Nonce: n\r\nPitwall-Proof: p\r\n{extra}\r\n";

    private static LinkHeadKind Read(string text, out LinkUpgrade? upgrade, out long headLength) =>
        LinkUpgradeRequest.Read(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), out upgrade, out headLength);

    [Fact]
    public void A_well_formed_link_upgrade_is_recognised_with_its_key_and_the_cars_credentials()
    {
        var head = Upgrade();

        Assert.Equal(LinkHeadKind.Upgrade, Read(head + "\x82\x80", out var upgrade, out var headLength));

        Assert.Equal(Encoding.Latin1.GetByteCount(head), headLength); // the WebSocket bytes after it stay unread
        Assert.Equal(Key, upgrade!.Key);
        Assert.Equal(new LinkCredentials("WP0ZZZ99ZTS392124", "n", "p"), upgrade.Credentials);
    }

    [Theory]
    [InlineData("/vehicle/v1/")]
    [InlineData("/VEHICLE/V1")]
    [InlineData("/vehicle/v1?attempt=2")]
    public void The_link_path_is_matched_as_routing_matches_it(string target) =>
        Assert.Equal(LinkHeadKind.Upgrade, Read(Upgrade(target), out _, out _));

    [Fact]
    public void The_accept_answer_is_the_one_of_RFC_6455() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", LinkUpgradeRequest.AcceptFor(Key));

    [Fact]
    public void A_link_upgrade_still_arriving_asks_for_more_bytes()
    {
        var head = Upgrade();
        Assert.Equal(LinkHeadKind.NeedMore, Read(head[..3], out _, out _));
        Assert.Equal(LinkHeadKind.NeedMore, Read(head[..^2], out _, out _));
    }

    [Theory]
    [InlineData("POST /api/v1/auth/token HTTP/1.1\r\n")]
    [InlineData("GET /vehicle/v1/challenge HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /api")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    [InlineData("\x16\x03\x01\x02\x00")]
    public void Any_other_request_is_left_to_Kestrel_from_its_first_bytes(string start) =>
        Assert.Equal(LinkHeadKind.Other, Read(start, out _, out _));

    [Theory]
    [InlineData("/vehicle/v%31", "", "13", Key)]
    [InlineData("/vehicle/v1", "Sec-WebSocket-Protocol: pitwall\r\n", "13", Key)]
    [InlineData("/vehicle/v1", "Content-Length: 3\r\n", "13", Key)]
    [InlineData("/vehicle/v1", "Transfer-Encoding: chunked\r\n", "13", Key)]
    [InlineData("/vehicle/v1", "Pitwall-Vin: WP0ZZZ99ZTS392125\r\n", "13", Key)]
    [InlineData("/vehicle/v1", " folded\r\n", "13", Key)]
    [InlineData("/vehicle/v1", "", "8", Key)]
    [InlineData("/vehicle/v1", "", "13", "too-short")]
    public void An_unusual_link_request_is_left_to_Kestrel_which_answers_it_as_before(string target, string extra, string version, string key) =>
        Assert.Equal(LinkHeadKind.Other, Read(Upgrade(target, extra, version, key), out _, out _));

    [Fact]
    public void A_head_larger_than_8_KiB_is_left_to_Kestrel()
    {
        var padded = Upgrade(extra: $"X-Padding: {new string('a', LinkUpgradeRequest.MaxHeadBytes)}\r\n");
        Assert.Equal(LinkHeadKind.Other, Read(padded, out _, out _));
        Assert.Equal(LinkHeadKind.Other, Read(padded[..(LinkUpgradeRequest.MaxHeadBytes + 10)], out _, out _));
    }

    [Fact]
    public void An_HTTP_1_0_request_is_left_to_Kestrel() =>
        Assert.Equal(LinkHeadKind.Other, Read(Upgrade().Replace("HTTP/1.1", "HTTP/1.0", StringComparison.Ordinal), out _, out _));
}
