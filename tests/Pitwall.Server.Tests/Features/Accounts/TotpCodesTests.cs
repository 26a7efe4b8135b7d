using Pitwall.Server.Features.Accounts.SecondFactor;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>The time-step rules of the second factor (RFC 6238), on a hand-driven clock.</summary>
public sealed class TotpCodesTests
{
    private static readonly string Secret = TotpCodes.NewSecret();

    [Fact]
    public void A_code_works_in_its_step_and_the_steps_beside_it_only()
    {
        var clock = new TestClock(DateTimeOffset.Parse("2026-12-07T03:00:10Z", System.Globalization.CultureInfo.InvariantCulture));
        var code = TotpCodes.CodeAt(Secret, clock.GetUtcNow());
        var step = TotpCodes.StepAt(clock.GetUtcNow());
        Assert.Equal(step, TotpCodes.Match(Secret, code, clock.GetUtcNow(), lastStep: 0));
        clock.Advance(TimeSpan.FromSeconds(30)); // typed slowly: the step before is still fine
        Assert.Equal(step, TotpCodes.Match(Secret, code, clock.GetUtcNow(), lastStep: 0));
        clock.Advance(TimeSpan.FromSeconds(30)); // two steps later: too old
        Assert.Null(TotpCodes.Match(Secret, code, clock.GetUtcNow(), lastStep: 0));
        clock.Advance(TimeSpan.FromSeconds(-90)); // the phone's clock runs a step ahead of the server's
        Assert.Equal(step, TotpCodes.Match(Secret, code, clock.GetUtcNow(), lastStep: 0));
        clock.Advance(TimeSpan.FromSeconds(-30));
        Assert.Null(TotpCodes.Match(Secret, code, clock.GetUtcNow(), lastStep: 0));
    }

    [Fact]
    public void A_code_is_refused_when_its_step_or_a_later_one_was_used_and_that_is_told_apart_from_a_wrong_code()
    {
        var clock = new TestClock(DateTimeOffset.Parse("2026-12-07T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var now = clock.GetUtcNow();
        var code = TotpCodes.CodeAt(Secret, now);
        var step = TotpCodes.StepAt(now);
        Assert.Null(TotpCodes.Match(Secret, code, now, lastStep: step));
        Assert.True(TotpCodes.IsReplay(Secret, code, now, lastStep: step));
        clock.Advance(TimeSpan.FromSeconds(30));
        var next = TotpCodes.CodeAt(Secret, clock.GetUtcNow());
        Assert.Equal(step + 1, TotpCodes.Match(Secret, next, clock.GetUtcNow(), lastStep: step));
        Assert.Null(TotpCodes.Match(Secret, code, clock.GetUtcNow(), lastStep: step + 1)); // an older code after a newer one
        var wrong = (int.Parse(next, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)[^6..];
        Assert.False(TotpCodes.IsReplay(Secret, wrong, clock.GetUtcNow(), lastStep: step));
    }

    [Theory]
    [InlineData("123 456", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData("12345", null)]
    [InlineData("12345a", null)]
    [InlineData(null, null)]
    public void What_people_type_is_read_as_six_digits(string? typed, string? digits) => Assert.Equal(digits, TotpCodes.Normalize(typed));

    [Fact]
    public void The_otpauth_uri_names_the_issuer_the_account_and_the_rfc_6238_parameters()
    {
        var uri = TotpCodes.Uri("Pitwall", "soc@example.com", "JBSWY3DPEHPK3PXP");
        Assert.Equal("otpauth://totp/Pitwall:soc%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Pitwall&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Fact]
    public void The_codes_are_those_of_rfc_6238_appendix_b()
    {
        // RFC 6238's SHA-1 test vector: the ASCII secret "12345678901234567890" at 59 s is 94287082 (8 digits); 6 digits: 287082.
        var secret = OtpNet.Base32Encoding.ToString("12345678901234567890"u8.ToArray());
        Assert.Equal("287082", TotpCodes.CodeAt(secret, DateTimeOffset.FromUnixTimeSeconds(59)));
        Assert.Equal("081804", TotpCodes.CodeAt(secret, DateTimeOffset.FromUnixTimeSeconds(1111111109)));
    }
}
