using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// A tiny OAuth client as an app is one: it sends the user through <c>/connect/authorize</c> with PKCE (S256), signs the user
/// in at the portal (a cookie jar, no browser), catches the code at its redirect URI and redeems it at <c>/connect/token</c>.
/// </summary>
public sealed partial class OAuthTestClient(PitwallServer server, string clientId, string redirectUri) : IDisposable
{
    private readonly HttpClient _browser = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = server.Client.BaseAddress,
    };

    public string Verifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Challenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public string AuthorizeUrl(string scope, bool pkce = true) =>
        QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["response_type"] = "code", ["scope"] = scope, ["state"] = "s-42",
            ["code_challenge"] = pkce ? Challenge : null, ["code_challenge_method"] = pkce ? "S256" : null,
        }.Where(p => p.Value is not null));

    /// <summary>The app's first step alone: the provider's answer to the authorization request.</summary>
    public Task<HttpResponseMessage> StartAsync(string scope, bool pkce = true) => _browser.GetAsync(AuthorizeUrl(scope, pkce));

    /// <summary>Follows the flow as the user; returns where the provider finally redirects to (the app's redirect URI).</summary>
    /// <param name="consent">What the owner ticks on the consent screen of a third-party app (no cars: the owner denies).</param>
    /// <param name="secondFactor">Makes the code the portal asks for after the password (<c>/signin/verify</c>), if it does.</param>
    public async Task<Uri> AuthorizeAsync(string email, string password, string scope, (string[] Vins, string[] Scopes)? consent = null,
        Func<string>? secondFactor = null)
    {
        var response = await StartAsync(scope);
        while (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location
               && !location.ToString().StartsWith(redirectUri, StringComparison.Ordinal))
        {
            var target = location.IsAbsoluteUri ? location.PathAndQuery : location.ToString();
            response = target.StartsWith("/signin/verify", StringComparison.Ordinal) && secondFactor is not null ? await VerifyAsync(target, secondFactor())
                : target.StartsWith("/signin", StringComparison.Ordinal) ? await SignInAsync(target, email, password)
                : target.StartsWith("/account/consent", StringComparison.Ordinal) && consent is { } decision ? await ConsentAsync(target, decision)
                : await _browser.GetAsync(target);
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private async Task<HttpResponseMessage> SignInAsync(string signInUrl, string email, string password)
    {
        var page = await (await _browser.GetAsync(signInUrl)).Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField().Match(page).Groups[1].Value;
        var returnUrl = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), signInUrl).Query)["ReturnUrl"].ToString();
        return await _browser.PostAsync(signInUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = returnUrl, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
        }));
    }

    private async Task<HttpResponseMessage> VerifyAsync(string verifyUrl, string code)
    {
        var page = await (await _browser.GetAsync(verifyUrl)).Content.ReadAsStringAsync();
        var returnUrl = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), verifyUrl).Query)["ReturnUrl"].ToString();
        return await _browser.PostAsync(verifyUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = code, ["ReturnUrl"] = returnUrl, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value),
        }));
    }

    private async Task<HttpResponseMessage> ConsentAsync(string consentUrl, (string[] Vins, string[] Scopes) decision)
    {
        var page = await (await _browser.GetAsync(consentUrl)).Content.ReadAsStringAsync();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("AuthorizationRequest", WebUtility.HtmlDecode(RequestField().Match(page).Groups[1].Value)),
            new("__RequestVerificationToken", WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value)),
        };
        fields.AddRange(decision.Vins.Select(v => KeyValuePair.Create("Vins", v)));
        fields.AddRange(decision.Scopes.Select(s => KeyValuePair.Create("Scopes", s)));
        var handler = decision.Vins.Length == 0 ? "Deny" : "Allow";
        return await _browser.PostAsync($"/account/consent?handler={handler}", new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"AuthorizationRequest\" value=\"([^\"]*)\"")]
    private static partial Regex RequestField();

    public static string? CodeOf(Uri callback) => QueryHelpers.ParseQuery(callback.Query).TryGetValue("code", out var code) ? code.ToString() : null;

    public Task<HttpResponseMessage> RedeemAsync(string code, string? verifier = null) => TokenAsync(new()
    {
        ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri, ["client_id"] = clientId,
        ["code_verifier"] = verifier ?? Verifier,
    });

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId });

    public Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form) =>
        server.Client.PostAsync("/connect/token", new FormUrlEncodedContent(form));

    /// <summary>The whole flow: the tokens the app ends up with.</summary>
    public async Task<JsonElement> SignInWithCodeAsync(string email, string password, string scope, (string[] Vins, string[] Scopes)? consent = null,
        Func<string>? secondFactor = null)
    {
        var code = CodeOf(await AuthorizeAsync(email, password, scope, consent, secondFactor)) ?? throw new InvalidOperationException("No code.");
        var tokens = await RedeemAsync(code);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        return await tokens.JsonAsync();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public void Dispose() => _browser.Dispose();
}
