using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>Administrators register cars one by one or import a fleet, with the API's rules.</summary>
[RequestSizeLimit(MaxImportBytes)] // a fleet's CSV may exceed the API's default body limit
internal sealed class AdminVehiclesModel(VehicleRegistry registry, VehicleAdministration administration, IStringLocalizer<PortalText> t) : PortalPage
{
    public const long MaxImportBytes = 10 * 1024 * 1024;

    public AdminVehiclePage Found { get; private set; } = new([], 1, VehicleAdministration.DefaultPageSize, 0);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public RegisteredVehicleResponse? Registered { get; private set; }

    public ImportResponse? Imported { get; private set; }

    [BindProperty]
    public string? Vin { get; set; }

    [BindProperty]
    public string? Model { get; set; }

    [BindProperty]
    public int? ModelYear { get; set; }

    [BindProperty]
    public string? Colour { get; set; }

    [BindProperty]
    public string? RegistrationNumber { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await FindAsync(cancellationToken);

    private async Task FindAsync(CancellationToken cancellationToken) =>
        Found = await administration.SearchAsync(Q, PageNumber, VehicleAdministration.DefaultPageSize, cancellationToken);

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        var request = new RegisterVehicleRequest(Vin, Model, ModelYear, Colour, RegistrationNumber, null);
        var errors = new ValidationErrors();
        VehicleRegistry.Validate(request, errors, registry.MaxModelYear);
        if (errors.Any)
        {
            AddErrors(errors, t);
        }
        else if (await registry.RegisterAsync(request, cancellationToken) is { } registered)
        {
            Registered = registered;
            ModelState.Clear();
            (Vin, Model, ModelYear, Colour, RegistrationNumber) = (null, null, null, null, null);
        }
        else
        {
            ModelState.AddModelError(nameof(Vin), t["A vehicle with this VIN is registered."]);
        }
        await FindAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? csv, CancellationToken cancellationToken)
    {
        if (csv is null || csv.Length == 0)
        {
            ModelState.AddModelError("", t["Choose a CSV file."]);
        }
        else
        {
            using var reader = new StreamReader(csv.OpenReadStream(), Encoding.UTF8);
            Imported = await registry.ImportAsync(reader, fleetSecret: null, cancellationToken);
        }
        await FindAsync(cancellationToken);
        return Page();
    }
}
