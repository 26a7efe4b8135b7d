namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

internal sealed class OidcOptions
{
    public const string Section = "Pitwall:OpenIdConnect";

    /// <summary>The first-party app's client id; it is registered at start-up as a public client (PKCE, no secret).</summary>
    public const string FirstPartyClientId = "pitwall-app";

    /// <summary>Where the first-party app receives the authorization code (its custom scheme, RFC 8252); none set means
    /// <see cref="DefaultFirstPartyRedirectUri"/>.</summary>
    public List<string> FirstPartyRedirectUris { get; set; } = [];

    public const string DefaultFirstPartyRedirectUri = "pitwall://oauth/callback";
}
