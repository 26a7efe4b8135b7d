using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.SmartService;

/// <summary><c>Pitwall:SmartService</c>.</summary>
internal sealed class SmartServiceOptions : IValidatableObject
{
    public const string Section = "Pitwall:SmartService";

    /// <summary>How often the cars send their service log besides the threshold-triggered ones (pushed to the car).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "31.00:00:00")]
    public TimeSpan LogInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>False switches the prediction job off on this instance (tests run it by hand).</summary>
    public bool PredictionEnabled { get; set; } = true;

    /// <summary>How often the prediction job looks for cars with new logs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PredictionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cars whose health is older than this are recomputed even without a new log (time alone moves due dates).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "31.00:00:00")]
    public TimeSpan RecomputeAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Most cars per prediction run.</summary>
    [Range(1, 1_000_000)]
    public int PredictionBatch { get; set; } = 2000;

    /// <summary>A wear part is due soon when its predicted maintenance is this close in time …</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan DueSoonWithin { get; set; } = TimeSpan.FromDays(60);

    /// <summary>… or in distance (m).</summary>
    [Range(1000, 100_000_000)]
    public double DueSoonWithinMetres { get; set; } = 3_000_000;

    /// <summary>The installation's market (ISO 3166-1 alpha-2): the market of a car's data when its owner names no country (postal
    /// address or locale region) or it has no owner. The market decides how long product observation is kept.</summary>
    [RegularExpression("^[A-Z]{2}$")]
    public string Market { get; set; } = "FR";

    /// <summary>Product observation is kept this many years from creation, per market: 10 in the French-language notice, 30 in
    /// the German-language notice for Austria. A market not listed takes <see cref="ProductObservationDefaultYears"/>.</summary>
    public Dictionary<string, int> ProductObservationYears { get; set; } = new(StringComparer.Ordinal) { ["FR"] = 10, ["AT"] = 30 };

    [Range(1, 30)]
    public int ProductObservationDefaultYears { get; set; } = 10;

    public int ProductObservationYearsFor(string market) => ProductObservationYears.GetValueOrDefault(market, ProductObservationDefaultYears);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProductObservationYears.Any(m => m.Value is < 1 or > 30 || m.Key.Length != 2))
        {
            yield return new ValidationResult("Product observation is kept 1 to 30 years, per two-letter market.", [nameof(ProductObservationYears)]);
        }
    }
}
