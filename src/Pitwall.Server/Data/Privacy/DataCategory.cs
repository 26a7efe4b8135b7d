namespace Pitwall.Server.Data.Privacy;

/// <summary>
/// A kind of stored data (REQUIREMENTS §P3): why it is kept, on what legal basis, for how long and who else sees it.
/// Every table belongs to exactly one category; a test holds the schema to that.
/// </summary>
public sealed record DataCategory(
    string Id,
    string Name,
    string Purpose,
    LegalBasis LegalBasis,
    Retention Retention,
    bool PersonalData,
    IReadOnlyList<CategoryTable> Tables,
    IReadOnlyList<Processor> Processors);

/// <summary>A table of a category; <paramref name="AgeColumn"/> (epoch milliseconds) is what a timed retention counts from.</summary>
public sealed record CategoryTable(string Name, string? AgeColumn = null)
{
    /// <summary>Which rows belong to one account, for its data export (P6): an SQL condition over <c>@accountId</c>, and for the
    /// cars the account uses over <c>@car</c> (a VIN) and <c>@carSince</c> (when the account got access to it, epoch ms): a
    /// condition naming <c>@car</c> is run once per car the export asks the vehicles feature for, so no category names the
    /// vehicles feature's tables. Every table of a personal category has this or <see cref="NotExportedBecause"/>.</summary>
    public string? AccountRows { get; init; }

    /// <summary>Whether <see cref="AccountRows"/> is run once per car the account uses.</summary>
    public bool PerCar => AccountRows?.Contains(Car, StringComparison.Ordinal) == true;

    /// <summary>The parameter that stands for one of the account's cars in <see cref="AccountRows"/>.</summary>
    public const string Car = "@car";

    /// <summary><see cref="AccountRows"/> for a table keyed by <c>vin</c>: the rows of every car the account uses.</summary>
    public const string RowsOfTheAccountsCars = "vin = @car";

    /// <summary><see cref="AccountRows"/> for a car's history: its rows from when the account got access to the car, not before
    /// (a new owner or driver does not see what happened to the car earlier).</summary>
    public static string RowsOfTheAccountsCarsSince(string table, string timeColumn) =>
        $"{table}.vin = @car AND {table}.{timeColumn} >= @carSince";

    /// <summary>Columns an export names but does not copy (hashes of passwords, tokens, PINs, answers).</summary>
    public IReadOnlyList<string> SecretColumns { get; init; } = [];

    /// <summary>Why the table holds nothing an export could attribute to an account.</summary>
    public string? NotExportedBecause { get; init; }

    /// <summary>On PostgreSQL the table is range-partitioned by UTC day on <see cref="AgeColumn"/> with a default partition (see
    /// <see cref="DayPartitions"/>): retention drops a whole day once all of it has expired instead of deleting its rows, and
    /// deletes the expired rows of the day that holds the cutoff, so expiry stays exact. Only for append-only history whose
    /// unique keys can include the age column (PostgreSQL requires it) and that no other table references.</summary>
    public bool PartitionedByDay { get; init; }
}

/// <summary>
/// Someone the data goes to, whether they may process it outside the EU/EEA, and the data elements they may receive (P4).
/// <see cref="Elements"/> is the rule the processor gateway enforces on every outbound call, and what the register lists; a
/// processor declared without elements receives nothing (and a test fails).
/// </summary>
public sealed record Processor(string Name, string Purpose, bool MayBeOutsideEea)
{
    public Processor(string name, string purpose, bool mayBeOutsideEea, params IEnumerable<DataElement> elements)
        : this(name, purpose, mayBeOutsideEea) =>
        Elements = elements.Distinct().Order().ToList();

    /// <summary>What the processor may receive, in declaration-independent order; everything else is stripped.</summary>
    public IReadOnlyList<DataElement> Elements { get; init; } = [];

    public bool MayReceive(DataElement element) => Elements.Contains(element);
}

public enum LegalBasis
{
    Contract,
    LegitimateInterest,
    Consent,
    LegalObligation,
}

public static class LegalBases
{
    /// <summary>How the register names the legal basis.</summary>
    public static string Describe(this LegalBasis basis) => basis switch
    {
        LegalBasis.Contract => "contract",
        LegalBasis.LegitimateInterest => "legitimate interest",
        LegalBasis.Consent => "consent",
        _ => "legal obligation",
    };
}

public enum RetentionKind
{
    /// <summary>Only the latest value is kept; a new one overwrites it.</summary>
    OverwriteOnChange,
    /// <summary>Kept while the request or session it serves lasts.</summary>
    DurationOfRequest,
    /// <summary>Deleted a fixed period after it was recorded.</summary>
    Period,
    /// <summary>Deleted a fixed period after it was last used.</summary>
    PeriodUnused,
    /// <summary>Kept until the account it belongs to is deleted.</summary>
    UntilAccountDeletion,
    /// <summary>Kept while the vehicle is registered with the platform.</summary>
    UntilVehicleDeregistered,
    /// <summary>Operational data of the installation, holding no personal data.</summary>
    LifetimeOfInstallation,
}

public sealed record Retention(RetentionKind Kind, TimeSpan? Period, string Description)
{
    /// <summary>Where the period depends on the market (the country whose notice applies): the period per market, and the one of
    /// every market not listed (<see cref="MarketPeriod.Market"/> null). Each row then carries its own deletion time in its age
    /// column (its creation plus its market's period), and <see cref="Period"/> is zero.</summary>
    public IReadOnlyList<MarketPeriod> Markets { get; init; } = [];

    /// <summary>Kept a number of years from creation that depends on the market; the rows carry their deletion time.</summary>
    public static Retention YearsPerMarket(IReadOnlyDictionary<string, int> years, int otherMarkets, string setting)
    {
        var markets = years.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new MarketPeriod(m.Key, m.Value))
            .Append(new MarketPeriod(null, otherMarkets)).ToList();
        var text = string.Join(", ", markets.Select(m => $"{m.Years} years {(m.Market is null ? "in any other market" : $"in {m.Market}")}"));
        return new(RetentionKind.Period, TimeSpan.Zero, $"from creation, per market: {text} ({setting}); each row is deleted at its own deletion time")
        {
            Markets = markets,
        };
    }

    public static Retention OverwriteOnChange { get; } = new(RetentionKind.OverwriteOnChange, null, "until the next change, then overwritten");
    public static Retention UntilAccountDeletion { get; } = new(RetentionKind.UntilAccountDeletion, null, "until the account is deleted");
    public static Retention UntilVehicleDeregistered { get; } = new(RetentionKind.UntilVehicleDeregistered, null, "while the vehicle is registered");
    public static Retention LifetimeOfInstallation { get; } = new(RetentionKind.LifetimeOfInstallation, null, "for the life of the installation");

    /// <summary>Kept while it serves a request or session, and removed once its expiry (the age column) has passed.</summary>
    public static Retention DurationOfRequest(string what) => new(RetentionKind.DurationOfRequest, TimeSpan.Zero, what);

    public static Retention Days(int days) => new(RetentionKind.Period, TimeSpan.FromDays(days), $"{days} days");

    /// <summary>Months are counted as 30 days, a year of months as 365 days, so the rule is exact and testable.</summary>
    public static Retention Months(int months) => new(
        RetentionKind.Period, TimeSpan.FromDays(months % 12 == 0 ? months / 12 * 365 : months * 30), $"{months} months");

    public static Retention Years(int years) => new(RetentionKind.Period, TimeSpan.FromDays(years * 365), $"{years} years");

    public static Retention YearsUnused(int years) =>
        new(RetentionKind.PeriodUnused, TimeSpan.FromDays(years * 365), $"{years} year{(years == 1 ? "" : "s")} after last use");
}

/// <summary>How many years a market keeps a category's rows; <paramref name="Market"/> null stands for every market not listed.</summary>
public sealed record MarketPeriod(string? Market, int Years)
{
    public TimeSpan Period => TimeSpan.FromDays(365 * Years);
}
