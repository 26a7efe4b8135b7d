using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.Accounts;

public sealed class AccountOptions
{
    public const string Section = "Pitwall:Accounts";

    /// <summary>
    /// The OAuth password grant on <c>POST /api/v1/auth/token</c>, which RFC 9700 says must not be used: off. The demo
    /// (<c>pitwall demo</c>), the benchmarks and the tests turn it on; apps use the OpenID Connect provider's authorization code flow.
    /// </summary>
    public bool PasswordGrant { get; set; }

    /// <summary>
    /// Staff (soc_operator, authority, assistance_agent, dealer, admin) sign in to the portal and through the OpenID Connect
    /// provider only with a second factor (TOTP), and enrol at their first sign-in: on. Only tests and demos switch it off.
    /// </summary>
    public bool SecondFactorRequired { get; set; } = true;

    /// <summary>The name authenticator apps show beside the code (the otpauth URI's issuer).</summary>
    [Required, MinLength(1)]
    public string SecondFactorIssuer { get; set; } = "Pitwall";

    /// <summary>Access tokens are short-lived; the app refreshes them.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// On SQLite, how long a checked access token is trusted without asking the database again (never past its expiry;
    /// forgotten at once when a session is revoked or an account erased in this process).
    /// Zero asks every time. Not used on PostgreSQL.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan AccessTokenCacheLifetime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A refresh token not used within this time expires.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A sign-in session ends after this time however often it is refreshed; then the user signs in again.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "730.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Failed sign-ins for one e-mail address within <see cref="LockoutWindow"/> that lock it.</summary>
    [Range(1, 100)]
    public int LockoutThreshold { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
