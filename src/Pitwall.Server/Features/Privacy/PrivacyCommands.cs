using System.CommandLine;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Privacy;

/// <summary><c>pitwall admin privacy-register --out docs/privacy-register.md</c>: writes the register generated from the code.</summary>
public static class PrivacyCommands
{
    public static IEnumerable<Command> Create(AppFactory factory, Option<string?> database)
    {
        var output = new Option<FileInfo>("--out") { Description = "The Markdown file to write, e.g. docs/privacy-register.md.", Required = true };
        var register = new Command("privacy-register", "Write the privacy register (Markdown) generated from the data categories in the code.") { output };
        register.SetAction((result, ct) => PitwallCommandLine.WithAppAsync(factory, result, database, async app =>
        {
            var file = result.GetValue(output)!;
            await File.WriteAllTextAsync(file.FullName, PrivacyRegisterDocument.Render(app.Services.GetRequiredService<DataCategoryRegister>().All), ct);
            Console.WriteLine($"wrote {file.FullName}");
            return 0;
        }));
        return [register];
    }
}
