using Microsoft.AspNetCore.Identity;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Accounts.OpenIdConnect;
using Pitwall.Server.Hosting.Auth;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Accounts;

/// <summary>Accounts, sign-in (OAuth 2.0 password and refresh-token grants), the security log and <c>/me</c>.</summary>
public static class AccountsModule
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<AccountsText>();
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddSingleton<IAccountDirectory>(sp => sp.GetRequiredService<AccountStore>());
        builder.Services.AddSingleton<IAccountDeletion, AccountDeletion>();
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddSingleton<IAccessTokenValidator, AccessTokenValidator>();
        builder.Services.AddOpenIdConnectProvider();
        builder.Services.AddSingleton<ClientRegistry>();
        builder.Services.AddSingleton<IAppGrants, AppGrantsSql>();
        builder.Services.AddSingleton<SignInService>();
        builder.Services.AddSingleton<SecondFactor.SecondFactors>();
        builder.Services.AddSingleton<AccountAdministration>();
        builder.Services.AddSingleton<UserAdministration>();
        builder.Services.AddDataCategory(AccountDataCategories.Account);
        builder.Services.AddDataCategory(AccountDataCategories.SignInSessions);
        builder.Services.AddDataCategory(AccountDataCategories.SecondFactors);
        builder.Services.AddDataCategory(AccountDataCategories.SignInThrottle);
        builder.Services.AddDataCategory(AccountDataCategories.AppGrants);
        builder.Services.AddDataCategory(AccountDataCategories.ApiClients);
        builder.Services.AddDataCategory(AccountDataCategories.SecurityLog);
        return builder;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapAuthEndpoints();
        app.MapProviderEndpoints();
        app.MapClientAdminEndpoints();
        app.MapUserAdminEndpoints();
        app.MapAppConsentEndpoints();
        app.MapMeEndpoints();
        return app;
    }
}
