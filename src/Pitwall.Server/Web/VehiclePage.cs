using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.UsageStatistics;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web;

/// <summary>A page about one of the signed-in account's vehicles; every handler starts with <see cref="FindAsync"/>, and every use
/// of a service passes the same gate as the API (<see cref="UseAsync"/>), counted as the web portal's.</summary>
internal abstract class VehiclePage(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t) : PortalPage
{
    protected IStringLocalizer<PortalText> Texts { get; } = t;

    public Vehicle Vehicle { get; private set; } = null!;

    public VehicleRole Role { get; private set; }

    /// <summary>When the account got its current access to the vehicle: it sees what happened from then on.</summary>
    protected DateTimeOffset AccessSince { get; private set; }

    public string Vin => Vehicle.Vin;

    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Message { get; set; }

    /// <returns>False for a VIN that is not among the account's vehicles (the page answers 404 then).</returns>
    protected async Task<bool> FindAsync(string vin, CancellationToken cancellationToken)
    {
        if (await vehicles.MineAsync(AccountId, Pitwall.Protocol.Vin.Normalize(vin), cancellationToken) is not var (vehicle, role, since))
        {
            return false;
        }
        (Vehicle, Role, AccessSince) = (vehicle, role, since);
        return true;
    }

    /// <summary>Passes the vehicle-service gate for the car <see cref="FindAsync"/> found: role, packages, the car's switches; the use
    /// counts for the usage statistics as the web portal's unless <paramref name="count"/> is false (a page's live refresh is
    /// not another use).</summary>
    /// <returns>Null when the service may be used; else why not.</returns>
    protected Task<Refusal?> UseAsync(string service, ServiceUse use, bool count, CancellationToken cancellationToken) =>
        Gate.CheckAsync(new VehicleGrant(Vin, Role, AccessSince), service, use, count ? UsageChannel.Web : null, cancellationToken);

    /// <summary>The services among <paramref name="services"/> the car's packages cover, asked of the gate as reads (the car's switches
    /// refuse no read; the page says why values are missing), so a page shows only those, as the API does.</summary>
    protected async Task<IReadOnlySet<string>> EntitledAsync(IEnumerable<string> services, bool count, CancellationToken cancellationToken)
    {
        var entitled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (await UseAsync(service, ServiceUse.Read, count, cancellationToken) is null)
            {
                entitled.Add(service);
            }
        }
        return entitled;
    }

    /// <summary>The gate for what belongs to the vehicle rather than to a service (its theft reports, its users): the role only.</summary>
    protected Task<Refusal?> UseVehicleAsync(bool primaryUserOnly, CancellationToken cancellationToken) =>
        Gate.CheckAsync(new VehicleGrant(Vin, Role, AccessSince), null, primaryUserOnly ? ServiceUse.PrimaryOnly : ServiceUse.Read, null, cancellationToken);

    private VehicleServiceGate Gate => HttpContext.RequestServices.GetRequiredService<VehicleServiceGate>();

    /// <summary>Sends a command through the same path as the API; a refusal lands next to the form's fields or on top.</summary>
    /// <returns>True when the command was accepted.</returns>
    /// <param name="fieldOf">Form field of an API field name where the default (<c>parameters.time</c> → <c>Time</c>) does not fit.</param>
    protected async Task<bool> SendAsync(
        string type, Dictionary<string, string?>? parameters = null, string? challenge = null, string? pinProof = null, Func<string, string?>? fieldOf = null)
    {
        var (service, use) = CommandIssuer.UseOf(type);
        var (command, refusal) = service is not null && await UseAsync(service, use, count: true, CancellationToken.None) is { } refused
            ? (null, refused)
            : await issuer.IssueAsync(AccountId, Vin, new CreateCommandRequest(type, parameters, challenge, pinProof, null), null, CancellationToken.None);
        if (refusal is null)
        {
            Message = Texts["Sent to the car: {0}. The outcome appears below.", Texts[command!.Type]];
            return true;
        }
        ShowRefusal(refusal, Texts, field => fieldOf?.Invoke(field) ??
            (field.StartsWith("parameters.", StringComparison.Ordinal) ? Capitalised(field["parameters.".Length..]) : ""));
        return false;
    }

    private static string Capitalised(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
