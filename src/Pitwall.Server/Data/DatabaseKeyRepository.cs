using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Pitwall.Server.Data;

/// <summary>
/// The data-protection key ring in the database instead of a directory of the process's user: every instance sharing the
/// database protects and reads portal cookies and antiforgery tokens with the same keys (issue 19), and the keys are backed
/// up with the data they protect. The framework reads the ring at start and when a key is due, and writes a key rarely
/// (every 90 days by default), through these synchronous calls.
/// </summary>
internal sealed class DatabaseKeyRepository(Database database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        database.ReadAsync(async c => (await c.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name"))
            .Select(x => XElement.Parse(x)).ToList(), CancellationToken.None).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (name) DO NOTHING",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t),
            CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Keys in the database, under one application name whatever directory each instance runs from.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Pitwall");
        services.AddSingleton<DatabaseKeyRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseKeyRepository>((options, repository) => options.XmlRepository = repository);
    }
}
