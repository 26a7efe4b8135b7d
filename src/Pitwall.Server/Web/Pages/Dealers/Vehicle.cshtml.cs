using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Dealers;

namespace Pitwall.Server.Web.Pages.Dealers;

/// <summary>
/// A car's transmitted data in the dealer console (F1): health, faults and the latest log, by VIN — only for a car whose owner
/// chose this dealer or has an open appointment with it (any other VIN is 404); each read is logged for the owner first.
/// </summary>
internal sealed class DealerVehicleModel(IDealerConsole console) : PortalPage
{
    private IDealerConsole Console { get; } = console;

    public string Vin { get; private set; } = "";

    public IReadOnlyList<DealerCarRead> Data { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (await Console.ReadAllAsync(AccountId, vin, cancellationToken) is not { } data)
        {
            return NotFound();
        }
        (Vin, Data) = (data.Vin, data.Reads);
        return Page();
    }

    /// <summary>The data as indented JSON, for a page that shows it as it is kept.</summary>
    public static string Json(object? data) =>
        data is null ? "nothing stored" : System.Text.Json.JsonSerializer.Serialize(data, Indented);

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true };
}
