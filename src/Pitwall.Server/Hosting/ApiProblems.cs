using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Pitwall.Server.Hosting;

/// <summary>RFC 9457 problem details with Pitwall's stable <c>code</c>; every expected failure goes through here.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(Details(status, code, title, detail));

    /// <summary>The body itself, for places that write through <see cref="IProblemDetailsService"/> (auth, rate limits, errors).</summary>
    public static ProblemDetails Details(int status, string code, string title, string? detail = null) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
        Type = TypeFor(code),
        Extensions = { ["code"] = code },
    };

    public static ValidationProblem Validation(ValidationErrors errors) =>
        TypedResults.ValidationProblem(
            errors.ToDictionary(),
            title: "The request has invalid fields.",
            type: TypeFor(ErrorCodes.ValidationFailed),
            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed });

    /// <summary>The API's one mapping of a <see cref="Refusal"/> without field errors.</summary>
    public static ProblemHttpResult Problem(Refusal refusal) => Create(refusal.Status, refusal.Code, refusal.Title);

    /// <summary>The API's one mapping of a <see cref="Refusal"/>: a validation problem with its fields, or a problem with its code.</summary>
    public static Results<T, ValidationProblem, ProblemHttpResult> Refused<T>(Refusal refusal) where T : IResult =>
        refusal.Errors is { } errors ? Validation(errors) : Problem(refusal);

    /// <summary>The value, or the refusal as <see cref="Refused{T}"/> maps it.</summary>
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> OkOr<T>(T? value, Refusal? refusal) =>
        refusal is null ? TypedResults.Ok(value!) : Refused<Ok<T>>(refusal);

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"{what} was not found.");

    public static ProblemHttpResult Conflict(string code, string title) => Create(StatusCodes.Status409Conflict, code, title);

    /// <summary>The problem type URI of a code; docs/api-guide.md lists every code.</summary>
    public static string TypeFor(string code) => $"urn:pitwall:problem:{code}";
}
