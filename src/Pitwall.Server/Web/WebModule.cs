using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web;

/// <summary>
/// The web portal: server-rendered Razor Pages for owners (and, as features land, operators), small ES modules for live
/// updates and maps. Pages call the same services as the API, under the same access rules; an unknown or foreign
/// vehicle is a 404 page.
/// </summary>
public static class WebModule
{
    public static readonly string[] Cultures = ["en", "de", "fr"];

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Web/Pages";
            options.Conventions.AuthorizeFolder("/", PortalAuth.Policy);
            options.Conventions.AuthorizeFolder("/Admin", PortalAuth.AdminPolicy);
            options.Conventions.AuthorizeFolder("/Soc", PortalAuth.SocPolicy);
            options.Conventions.AuthorizeFolder("/Authority", PortalAuth.AuthorityPolicy);
            options.Conventions.AuthorizeFolder("/Dealers", PortalAuth.DealerPolicy);
            options.Conventions.AuthorizeFolder("/Assistance", PortalAuth.AssistancePolicy);
            options.Conventions.AllowAnonymousToPage("/Account/SignIn");
            options.Conventions.AllowAnonymousToPage("/Account/Register");
            // Between the password and the second factor: these pages read the short-lived pending cookie themselves.
            options.Conventions.AllowAnonymousToPage("/Account/Verify");
            options.Conventions.AllowAnonymousToPage("/Account/SecondFactor");
            options.Conventions.AllowAnonymousToPage("/Error");
            options.Conventions.AllowAnonymousToPage("/Culture");
            options.Conventions.AllowAnonymousToPage("/Privacy");
        }).AddViewLocalization().ConfigureApplicationPartManager(parts =>
        {
            // Pages live in this assembly, which is not the entry assembly when a test host runs the server.
            var assembly = typeof(WebModule).Assembly;
            if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    parts.ApplicationParts.Add(part);
                }
            }
        });
        PanelRefreshTempData.Install(builder.Services);
        builder.Services.AddLocalization();
        // One localizer for every page: the frame's texts (Web/PortalText.*.resx) and those each feature adds with AddPortalTexts.
        builder.Services.AddPortalTexts<PortalText>();
        builder.Services.AddSingleton<PortalLocalizer>();
        builder.Services.AddSingleton<IStringLocalizer<PortalText>>(sp => sp.GetRequiredService<PortalLocalizer>());
        builder.Services.AddSingleton<IPortalTextCatalogue>(sp => sp.GetRequiredService<PortalLocalizer>());
        builder.Services.AddAuthentication().AddCookie(PortalAuth.Scheme, PortalAuth.Configure).AddCookie(PortalAuth.PendingScheme, PortalAuth.ConfigurePending);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PortalAuth.Policy, p => p.AddAuthenticationSchemes(PortalAuth.Scheme).RequireAuthenticatedUser())
            .AddPolicy(PortalAuth.AdminPolicy, p => p.AddAuthenticationSchemes(PortalAuth.Scheme).RequireClaim(PitwallClaims.Scope, Scopes.ControlAdmin))
            .AddPolicy(PortalAuth.SocPolicy, p => p.AddAuthenticationSchemes(PortalAuth.Scheme)
                .RequireClaim(PitwallClaims.Scope, Scopes.ReadSoc).RequireClaim(PitwallClaims.Scope, Scopes.ControlSoc))
            .AddPolicy(PortalAuth.AuthorityPolicy, p => p.AddAuthenticationSchemes(PortalAuth.Scheme).RequireClaim(PitwallClaims.Scope, Scopes.ReadAuthority))
            .AddPolicy(PortalAuth.DealerPolicy, p => p.AddAuthenticationSchemes(PortalAuth.Scheme).RequireClaim(PitwallClaims.Scope, Scopes.ControlDealer))
            .AddPolicy(PortalAuth.AssistancePolicy, p => p.AddAuthenticationSchemes(PortalAuth.Scheme)
                .RequireClaim(PitwallClaims.Scope, Scopes.ReadAssistance).RequireClaim(PitwallClaims.Scope, Scopes.ControlAssistance));
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(Cultures[0]).AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            // The choice the user made (cookie, set from the account's language at sign-in), else the browser's.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new CustomRequestCultureProvider(BrowserLanguageAsync)];
        });
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    /// <summary>Between <c>UseHosting</c> and <c>UseAccessControl</c>: the portal's own error pages (re-executed, so routed
    /// again), languages and static files.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseWhen(context => IsPortal(context.Request.Path), portal => portal.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseRequestLocalization();
        app.Use((context, next) =>
        {
            PortalTime.Use(context);
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "web")),
            RequestPath = "/static",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        return app;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapRazorPages();
        // The live event stream for pages, signed in by the portal cookie (the API's stream takes bearer tokens).
        app.MapGet("/portal/events", LiveEventsModule.Stream).RequireAuthorization(PortalAuth.Policy).ExcludeFromDescription();
        app.MapConsoleEndpoints();
        return app;
    }

    /// <summary>The browser's first language the portal speaks, by language alone ("de-AT" → de): with invariant
    /// globalization, cultures know no parents to fall back to.</summary>
    private static Task<ProviderCultureResult?> BrowserLanguageAsync(HttpContext context)
    {
        var language = context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is not null && Cultures.Contains(l));
        return Task.FromResult(language is null ? null : new ProviderCultureResult(language));
    }

    private static bool IsPortal(PathString path) =>
        !path.StartsWithSegments("/api") && !path.StartsWithSegments("/vehicle") && !path.StartsWithSegments("/health") &&
        !path.StartsWithSegments("/openapi") && !path.StartsWithSegments("/portal/events");
}
