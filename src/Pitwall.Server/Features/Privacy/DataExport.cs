using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Privacy;

/// <summary>
/// The owner's copy of their data (REQUIREMENTS P6): a ZIP with one JSON file per data category that holds personal data
/// — every row of every table the register attributes to the account or to the vehicles it uses — and a readable
/// summary. Hashes of secrets are named, not copied. What to take from each table is declared with the category, so a
/// new table cannot be forgotten (a test holds the register to that).
/// </summary>
public sealed class DataExport(Database database, DataCategoryRegister register, IVehicleAccess access, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<byte[]> CreateAsync(string accountId, CancellationToken cancellationToken)
    {
        var vins = await access.VinsOfAsync(accountId, cancellationToken);
        var cars = new List<(string? Vin, long Since)>();
        foreach (var vin in vins)
        {
            if (await access.AccessSinceAsync(accountId, vin, cancellationToken) is { } since)
            {
                cars.Add((vin, since.ToUnixTimeMilliseconds()));
            }
        }
        if (cars.Count == 0)
        {
            cars.Add((null, long.MaxValue)); // the rows of the account itself still count
        }
        var summary = new StringBuilder();
        summary.AppendLine("# Your data at Pitwall");
        summary.AppendLine();
        summary.AppendLine($"Exported {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC for account {accountId}, with the vehicles you use now: " +
                           (vins.Count == 0 ? "none." : string.Join(", ", vins) + "."));
        summary.AppendLine("Each category below has a JSON file with every row Pitwall stores about you. Times are Unix epoch milliseconds.");
        summary.AppendLine("Hashes of secrets (password, tokens, PIN, security answer) are listed as \"(stored, not exported)\".");
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var category in register.All.Where(c => c.PersonalData))
            {
                var tables = new Dictionary<string, object>(StringComparer.Ordinal);
                var rows = 0;
                foreach (var table in category.Tables.Where(t => t.AccountRows is not null))
                {
                    var found = await ReadAsync(table, accountId, cars, cancellationToken);
                    tables[table.Name] = found;
                    rows += found.Count;
                }
                var entry = archive.CreateEntry($"{category.Id}.json", CompressionLevel.Optimal);
                await using (var stream = entry.Open())
                {
                    await JsonSerializer.SerializeAsync(stream, new
                    {
                        category = category.Id, name = category.Name, purpose = category.Purpose, legalBasis = category.LegalBasis.ToString(),
                        kept = category.Retention.Description, sharedWith = category.Processors.Select(p => p.Name), tables,
                        notExported = category.Tables.Where(t => t.NotExportedBecause is not null).ToDictionary(t => t.Name, t => t.NotExportedBecause),
                    }, Json, cancellationToken);
                }
                summary.AppendLine();
                summary.AppendLine($"## {category.Name} ({category.Id}.json): {rows} record{(rows == 1 ? "" : "s")}");
                summary.AppendLine();
                summary.AppendLine($"{category.Purpose} Kept {category.Retention.Description}.");
            }
            var readme = archive.CreateEntry("summary.md", CompressionLevel.Optimal);
            await using var writer = new StreamWriter(readme.Open(), new UTF8Encoding(false));
            await writer.WriteAsync(summary.ToString());
        }
        return zip.ToArray();
    }

    /// <summary>The table's rows of the account; a rule over the account's cars runs once per car (a row found for two cars,
    /// e.g. the account's own contract, counts once).</summary>
    private Task<List<Dictionary<string, object?>>> ReadAsync(
        CategoryTable table, string accountId, IReadOnlyList<(string? Vin, long Since)> cars, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var rows = new List<IDictionary<string, object?>>();
            foreach (var (vin, since) in table.PerCar ? cars : cars.Take(1))
            {
                rows.AddRange((await c.QueryAsync($"SELECT * FROM {table.Name} WHERE {table.AccountRows}", new { accountId, car = vin, carSince = since }))
                    .Cast<IDictionary<string, object?>>());
            }
            return rows.DistinctBy(row => row.TryGetValue("id", out var id) && id is not null ? $"id:{id}" : JsonSerializer.Serialize(row))
                .Select(row => row.ToDictionary(
                    column => column.Key,
                    column => table.SecretColumns.Contains(column.Key) ? "(stored, not exported)" : column.Value is byte[] bytes ? Convert.ToBase64String(bytes) : column.Value,
                    StringComparer.Ordinal))
                .ToList();
        }, cancellationToken);
}
