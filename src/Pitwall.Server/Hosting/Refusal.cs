namespace Pitwall.Server.Hosting;

/// <summary>
/// An expected failure of any service, for the API and the portal alike: an HTTP status, a stable machine code (the problem's
/// <c>code</c>), a sentence, and the fields that were wrong when it is a validation failure. The API shows it as an RFC 9457
/// problem (<see cref="ApiProblems.Problem(Refusal)"/>), the portal next to the form (<c>PortalPage.ShowRefusal</c>).
/// Features keep their particular refusals as static values of this type; none declares a refusal type of its own.
/// </summary>
public sealed record Refusal(int Status, string Code, string Title, ValidationErrors? Errors = null)
{
    /// <summary>The title as it was written when it has numbers or names in it (text key and arguments), so that the portal
    /// shows it in the reader's language; null when the title is its own key.</summary>
    public Wording? Wording { get; init; }

    /// <summary>A refusal whose sentence has numbers or names in it: <paramref name="text"/> is the portal's text key with
    /// <c>{0}</c>-style placeholders; the API's title reads it filled in.</summary>
    public static Refusal Worded(int status, string code, string text, params object[] arguments)
    {
        var wording = new Wording(text, arguments);
        return new(status, code, wording.English) { Wording = wording };
    }

    /// <summary>Another account's vehicle reads as one that does not exist.</summary>
    public static readonly Refusal VehicleNotFound = new(StatusCodes.Status404NotFound, ErrorCodes.VehicleNotFound, "No such vehicle among yours.");

    /// <summary>The vehicle's primary user may; its drivers may not.</summary>
    public static readonly Refusal PrimaryOnly = new(StatusCodes.Status403Forbidden, ErrorCodes.ForbiddenForRole, "Only the vehicle's primary user may do this.");

    public static Refusal NotEntitled(string service) =>
        new(StatusCodes.Status403Forbidden, ErrorCodes.NotEntitled, $"The vehicle's packages do not cover the service {service}.");

    /// <summary>A 404 with the generic <c>not_found</c> code for something inside a service (a case, a geofence, a contract).</summary>
    public static Refusal NotFound(string title) => new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, title);

    public static Refusal Conflict(string code, string title) => new(StatusCodes.Status409Conflict, code, title);

    /// <summary>A validation failure with the fields that were wrong.</summary>
    public static Refusal Invalid(ValidationErrors errors) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The request has invalid fields.", errors);

    public static Refusal Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    /// <summary>A validation failure of one field whose message has numbers or names in it (see <see cref="ValidationErrors.Add(string, string, object[])"/>).</summary>
    public static Refusal Invalid(string field, string text, params object[] arguments)
    {
        var errors = new ValidationErrors();
        errors.Add(field, text, arguments);
        return Invalid(errors);
    }
}
