using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>E3: an authority starts tracking a car it has a report about (VIN and registration number); the case is handed to
/// it from the start. It notes its own file number on a case handed to it.</summary>
public sealed class AuthorityTracking(
    IVehicleDirectory vehicles, ICarSecurityContacts contacts, IEntitlements entitlements, TheftCaseOpening opening, Data.Database database, TimeProvider time)
{
    public const int MaxReferenceLength = 100;

    /// <summary>Sets (or corrects) the authority's own file number on a case handed to it; logged in the case's audit.</summary>
    /// <returns>The case as changed, or why not (another authority's case reads as not found).</returns>
    public async Task<(TheftCase? Case, Refusal? Refusal)> SetReferenceAsync(string authorityId, string caseId, string? reference, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.Trim().Length > MaxReferenceLength)
        {
            return (null, Refusal.Invalid("reference", "Your file number, 1 to {0} characters.", MaxReferenceLength));
        }
        var changed = await database.WriteAsync(async (c, t) =>
        {
            if (!await TheftCaseStore.SetAuthorityReferenceAsync(c, t, caseId, authorityId, reference.Trim()))
            {
                return false;
            }
            await TheftCaseStore.AuditAsync(c, t, caseId, new Actor(authorityId, Roles.Authority), "authority_reference", "The authority noted its file number.",
                time.GetUtcNow());
            return true;
        }, cancellationToken);
        return changed ? (await database.ReadAsync(c => TheftCaseStore.FindAsync(c, null, caseId), cancellationToken), null) : (null, SocWorkflow.CaseNotFound);
    }

    /// <summary>E3: an authority starts tracking a car it has a report about; the case is handed to it from the start.</summary>
    /// <returns>The new case and the car as the authority sees it; or why not.</returns>
    public async Task<(TheftCase? Case, VehicleDescription? Vehicle, Refusal? Refusal)> StartTrackingAsync(
        string authorityId, AuthorityTrackingRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Vin is null || !Vin.IsValid(Vin.Normalize(request.Vin)))
        {
            errors.Add("vin", "17 characters of the ISO 3779 alphabet.");
        }
        if (string.IsNullOrWhiteSpace(request.RegistrationNumber))
        {
            errors.Add("registrationNumber", "The car's registration number.");
        }
        if (string.IsNullOrWhiteSpace(request.Reference) || request.Reference.Length > 100)
        {
            errors.Add("reference", "Your file number, 1 to {0} characters.", MaxReferenceLength);
        }
        if (request.Circumstances is { Length: > 4000 })
        {
            errors.Add("circumstances", "At most {0} characters.", 4000);
        }
        if (errors.Any)
        {
            return (null, null, Refusal.Invalid(errors));
        }
        var vin = Vin.Normalize(request.Vin!);
        var vehicle = await vehicles.FindAsync(vin, cancellationToken);
        var contact = await contacts.ForVehicleAsync(vin, cancellationToken);
        var registration = contact?.RegistrationNumber ?? vehicle?.RegistrationNumber;
        // Same answer for an unknown car, a wrong registration number and a car without Car Security: nothing to learn by guessing.
        if (vehicle is null || registration is null || !SameRegistration(registration, request.RegistrationNumber!) ||
            !await entitlements.IsEntitledAsync(vin, ServiceIds.CarSecurity, cancellationToken))
        {
            return (null, null, new(StatusCodes.Status404NotFound, ErrorCodes.VehicleNotFound, "No car with Car Security has this VIN and registration number."));
        }
        var owner = await vehicles.PrimaryUserAsync(vin, cancellationToken);
        var (opened, refusal) = await opening.OpenAsync(vin, CaseSources.Authority, new Actor(authorityId, Roles.Authority), owner, authorityId,
            request.Reference!.Trim(), string.IsNullOrWhiteSpace(request.Circumstances) ? null : request.Circumstances.Trim(), "The authority started tracking.",
            cancellationToken);
        return (opened, opened is null ? null : Describe.Vehicle(vehicle, contact), refusal);
    }

    private static bool SameRegistration(string a, string b) =>
        string.Equals(new string([.. a.Where(char.IsLetterOrDigit)]), new string([.. b.Where(char.IsLetterOrDigit)]), StringComparison.OrdinalIgnoreCase);
}
