namespace Pitwall.Server.Features.Contracts;

/// <summary>A vehicle range a package fits: a model family (prefix of the registered model; empty = every model) and model years.</summary>
public sealed record FitRule(string Model, int? FromYear = null, int? ToYear = null)
{
    public bool Matches(string model, int modelYear) =>
        model.StartsWith(Model, StringComparison.OrdinalIgnoreCase) && (FromYear is null || modelYear >= FromYear) && (ToYear is null || modelYear <= ToYear);

    public bool MatchesModel(string model) => model.StartsWith(Model, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A service package of the catalogue (REQUIREMENTS B1).</summary>
public sealed record Package(
    string Id, string Name, IReadOnlyList<string> Services, int TermMonths, long PriceMinor, string Currency, IReadOnlyList<FitRule> Fits,
    bool NeedsCarSecurityDetails, bool Active)
{
    public const string CarSecurity = "car_security";

    /// <summary>Null when the package fits the vehicle, else why not: <c>model_not_eligible</c> or <c>model_year_not_eligible</c> (A5).</summary>
    public string? WhyNotFor(string model, int modelYear) =>
        Fits.Any(f => f.Matches(model, modelYear)) ? null
        : Fits.Any(f => f.MatchesModel(model)) ? "model_year_not_eligible"
        : "model_not_eligible";
}
