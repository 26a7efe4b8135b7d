using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Data;

public static class DataModule
{
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DatabaseOptions.EnvironmentVariable);
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .PostConfigure(o =>
            {
                // The environment variable is the operator's quick switch; explicit configuration still wins.
                if (!string.IsNullOrWhiteSpace(fromEnvironment) &&
                    builder.Configuration[$"{DatabaseOptions.Section}:ConnectionString"] is null)
                {
                    o.ConnectionString = fromEnvironment;
                }
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "Pitwall:Database:ConnectionString is empty.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddSingleton<Leases>();
        builder.Services.AddSingleton<RateLimitWindows>();
        builder.Services.AddSingleton<DayPartitions>();
        builder.Services.AddSingleton<DataCategoryRegister>();
        builder.Services.AddDataCategory(PlatformDataCategories.Operations);
        builder.Services.AddDataCategory(PlatformDataCategories.RateLimits);
        DatabaseKeyRepository.AddTo(builder.Services);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }
}
