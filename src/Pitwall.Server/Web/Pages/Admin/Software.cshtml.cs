using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>The software catalogue (F3): software modules and their artifacts (uploaded here, streamed to disk and hashed), and
/// the distribution sets that bundle modules for a model, model years and hardware variant. The same services as
/// <c>/api/v1/admin/software</c>, which also takes artifacts of any size as a raw body.</summary>
internal sealed class AdminSoftwareModel(ISoftwareConsole console, IStringLocalizer<PortalText> t) : PortalPage
{
    public SoftwareCatalogueView Catalogue { get; private set; } = new([], []);

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Catalogue = await console.CatalogueAsync(cancellationToken);

    public async Task<IActionResult> OnPostModuleAsync(string? name, string? version, string? kind, string? vendor, CancellationToken cancellationToken) =>
        await AfterAsync((await console.CreateModuleAsync(new ModuleCreateRequest(name, version, kind, vendor, null), cancellationToken)).Refusal,
            t["Module {0} {1} added; upload its files next.", name ?? "", version ?? ""], cancellationToken);

    public async Task<IActionResult> OnPostUploadAsync(string moduleId, IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return await AfterAsync(Refusal.Invalid("file", "Choose a file."), "", cancellationToken);
        }
        await using var content = file.OpenReadStream();
        return await AfterAsync(await console.UploadAsync(moduleId, Path.GetFileName(file.FileName), content, cancellationToken),
            t["{0} uploaded and hashed.", file.FileName], cancellationToken);
    }

    public async Task<IActionResult> OnPostSetAsync(
        string? name, string? version, string? updateKind, string? model, int? fromYear, int? toYear, string? hardwareVariant, List<string>? modules,
        CancellationToken cancellationToken) =>
        await AfterAsync((await console.CreateSetAsync(
                new SetCreateRequest(name, version, updateKind, model, fromYear, toYear, hardwareVariant, null, modules), cancellationToken)).Refusal,
            t["Distribution set {0} {1} added.", name ?? "", version ?? ""], cancellationToken);

    private async Task<IActionResult> AfterAsync(Refusal? refusal, string done, CancellationToken cancellationToken)
    {
        if (refusal is null)
        {
            Message = done;
            return Redirect("/admin/software");
        }
        ShowRefusal(refusal, t, field => field);
        Catalogue = await console.CatalogueAsync(cancellationToken);
        return Page();
    }

    /// <summary>A byte count as people read it.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MiB",
    };
}
