using System.CommandLine;
using System.Text.Json;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Contracts;

/// <summary><c>pitwall admin package-list | package-set | contract-cancel</c>.</summary>
public static class ContractCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {
        var list = new Command("package-list", "Print the package catalogue as JSON.");
        list.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var packages = await app.Services.GetRequiredService<PackageStore>().ListAsync(ct);
            Console.WriteLine(JsonSerializer.Serialize(packages.Select(PackageResponse.From), Indented));
            return 0;
        }));

        var id = new Option<string>("--id") { Description = "The package id, e.g. navigation_plus.", Required = true };
        var file = new Option<FileInfo>("--file")
        {
            Description = "JSON as for PUT /api/v1/admin/packages/{id}: name, services, termMonths, priceMinor, currency, fits, needsCarSecurityDetails, active.",
            Required = true,
        };
        var set = new Command("package-set", "Create or change a package from a JSON file.") { id, file };
        set.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            SavePackageRequest? request;
            try
            {
                request = JsonSerializer.Deserialize<SavePackageRequest>(await File.ReadAllTextAsync(result.GetValue(file)!.FullName, ct), PackageStore.Json);
            }
            catch (JsonException e)
            {
                await Console.Error.WriteLineAsync($"The file is not valid JSON: {e.Message}");
                return 1;
            }
            var errors = new ValidationErrors();
            if (request?.ToPackage(result.GetValue(id)!, errors) is not { } package)
            {
                await Console.Error.WriteLineAsync(string.Join(" ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
                return 1;
            }
            var created = await app.Services.GetRequiredService<PackageStore>().SaveAsync(package, ct);
            Console.WriteLine($"{(created ? "created" : "updated")} {package.Id}");
            return 0;
        }));

        var contract = new Option<string>("--contract") { Description = "The contract id.", Required = true };
        var reference = new Option<string>("--reference") { Description = "Customer service's reference for the letter.", Required = true };
        var cancel = new Command("contract-cancel", "Record a written cancellation (auto-renewal off; runs to the end of its term).") { contract, reference };
        cancel.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var (done, refusal) = await app.Services.GetRequiredService<ContractService>()
                .RecordWrittenCancellationAsync(result.GetValue(contract)!, result.GetValue(reference)!.Trim(), ct);
            if (refusal is not null)
            {
                await Console.Error.WriteLineAsync($"{refusal.Code}: {refusal.Title}");
                return 1;
            }
            Console.WriteLine($"cancelled {done!.Id}; it ends {done.EndsAt:yyyy-MM-dd}");
            return 0;
        }));
        return [list, set, cancel];
    }

    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
