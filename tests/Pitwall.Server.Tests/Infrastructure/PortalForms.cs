using System.Net;
using System.Text.RegularExpressions;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>The portal as a browser without JavaScript sees it: a cookie jar, no automatic redirects, forms posted with their
/// anti-forgery token.</summary>
public sealed partial class PortalForms(PitwallServer server) : IDisposable
{
    public HttpClient Http { get; } = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = server.Client.BaseAddress,
    };

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    /// <summary>Loads <paramref name="pageUrl"/> for its anti-forgery token and posts the fields to <paramref name="postUrl"/> (or the same page).</summary>
    public async Task<HttpResponseMessage> PostAsync(string pageUrl, Dictionary<string, string> fields, string? postUrl = null)
    {
        var page = await (await Http.GetAsync(pageUrl)).Content.ReadAsStringAsync();
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(page).Groups[1].Value);
        return await Http.PostAsync(postUrl ?? pageUrl, new FormUrlEncodedContent(fields));
    }

    public Task<HttpResponseMessage> SignInAsync(TestUserCredentials user, string returnUrl = "") =>
        PostAsync("/signin", new() { ["Email"] = user.Email, ["Password"] = user.Password, ["ReturnUrl"] = returnUrl });

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    public void Dispose() => Http.Dispose();
}

public sealed record TestUserCredentials(string Email, string Password);
