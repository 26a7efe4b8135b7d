using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Vehicles;

/// <summary><c>pitwall admin vehicle-register | vehicle-import | vehicle-cert</c>.</summary>
public static class VehicleCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {
        var vin = new Option<string>("--vin") { Description = "The vehicle identification number (17 characters).", Required = true };
        var model = new Option<string>("--model") { Description = "Model name, e.g. Taycan.", Required = true };
        var year = new Option<int>("--model-year") { Description = "Model year.", Required = true };
        var colour = new Option<string?>("--colour") { Description = "Colour." };
        var registration = new Option<string?>("--registration") { Description = "Registration number (licence plate)." };
        var register = new Command("vehicle-register", "Register a vehicle and print its link secret.") { vin, model, year, colour, registration };
        register.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var registry = app.Services.GetRequiredService<VehicleRegistry>();
            var request = new RegisterVehicleRequest(result.GetValue(vin), result.GetValue(model), result.GetValue(year), result.GetValue(colour), result.GetValue(registration), null);
            var errors = new ValidationErrors();
            VehicleRegistry.Validate(request, errors, registry.MaxModelYear);
            if (errors.Any)
            {
                await Console.Error.WriteLineAsync(string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
                return 1;
            }
            if (await registry.RegisterAsync(request, ct) is not { } registered)
            {
                await Console.Error.WriteLineAsync("A vehicle with this VIN is registered.");
                return 1;
            }
            Console.WriteLine($"registered {registered.Vin}");
            Console.WriteLine($"secret: {registered.Secret}");
            return 0;
        }));

        var file = new Option<FileInfo>("--file") { Description = $"CSV with the header {VehicleRegistry.CsvHeader}.", Required = true };
        var fleetSecret = new Option<string?>("--fleet-secret") { Description = "Derive missing secrets from this fleet secret (as pitwall-sim does)." };
        var import = new Command("vehicle-import", "Register vehicles from a CSV file.") { file, fleetSecret };
        import.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            using var reader = new StreamReader(result.GetValue(file)!.FullName, Encoding.UTF8);
            var secret = result.GetValue(fleetSecret) is { } s ? Encoding.UTF8.GetBytes(s) : null;
            var outcome = await app.Services.GetRequiredService<VehicleRegistry>().ImportAsync(reader, secret, ct);
            Console.WriteLine($"imported {outcome.Imported}, already registered {outcome.Skipped}, failed {outcome.Errors.Count}");
            foreach (var error in outcome.Errors)
            {
                await Console.Error.WriteLineAsync($"line {error.Line}: {error.Message}");
            }
            return outcome.Errors.Count == 0 ? 0 : 1;
        }));

        var certVin = new Option<string>("--vin") { Description = "The VIN the certificate is for.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory to write <VIN>.crt, <VIN>.key and ca.crt to.", Required = true };
        var days = new Option<int>("--days") { Description = "Validity in days.", DefaultValueFactory = _ => 825 };
        var cert = new Command("vehicle-cert", "Issue a client certificate for a car from the vehicle CA (mutual TLS).") { certVin, output, days };
        cert.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var target = Protocol.Vin.Normalize(result.GetValue(certVin)!);
            if (!Protocol.Vin.IsValid(target))
            {
                await Console.Error.WriteLineAsync("A VIN is 17 characters: digits and letters except I, O and Q.");
                return 1;
            }
            var authority = app.Services.GetRequiredService<VehicleCertificateAuthority>();
            using var issued = authority.Issue(target, TimeSpan.FromDays(result.GetValue(days)));
            var directory = result.GetValue(output)!;
            directory.Create();
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, $"{target}.crt"), issued.ExportCertificatePem(), ct);
            var keyPath = Path.Combine(directory.FullName, $"{target}.key");
            await File.WriteAllTextAsync(keyPath, issued.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "ca.crt"), authority.Root.ExportCertificatePem(), ct);
            Console.WriteLine($"wrote {target}.crt, {target}.key and ca.crt to {directory.FullName}");
            return 0;
        }));
        return [register, import, cert];
    }
}
