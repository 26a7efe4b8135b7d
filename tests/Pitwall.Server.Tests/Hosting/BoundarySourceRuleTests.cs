using System.Text.RegularExpressions;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Hosting;

/// <summary>
/// DESIGN §2 and §3.4b: a feature folder is a room. It owns its tables and its stores; other features reach it through
/// small public interfaces (as <c>IVehicleAccess</c>), never through its store or its tables. The shared data layer
/// (<c>Data/</c>) names no feature's table either.
/// </summary>
public sealed partial class BoundarySourceRuleTests
{
    private static readonly string Server = Path.Combine(PortalBrowser.RepositoryRoot(), "src", "Pitwall.Server");

    /// <summary>Every C# file of each feature folder (and of the shared data layer, as "Data"), without comments.</summary>
    internal static IReadOnlyList<(string Owner, string File, string Code)> Sources() =>
        [.. Directory.EnumerateDirectories(Path.Combine(Server, "Features")).Select(d => (Owner: Path.GetFileName(d), Dir: d))
            .Append((Owner: "Data", Dir: Path.Combine(Server, "Data")))
            .SelectMany(d => Directory.EnumerateFiles(d.Dir, "*.cs", SearchOption.AllDirectories)
                .Select(f => (d.Owner, File: Path.GetRelativePath(Server, f), Code: Comment().Replace(File.ReadAllText(f), ""))))];

    /// <summary>Which feature owns each table: the one whose data categories declare it.</summary>
    internal static IReadOnlyDictionary<string, string> TableOwners(IEnumerable<(string Owner, string File, string Code)> sources) =>
        sources.Where(s => s.Owner != "Data" && s.Code.Contains("DataCategory(", StringComparison.Ordinal))
            .SelectMany(s => CategoryTable().Matches(s.Code).Select(m => (Table: m.Groups[1].Value, s.Owner)))
            .DistinctBy(t => t.Table).ToDictionary(t => t.Table, t => t.Owner, StringComparer.Ordinal);

    internal static IReadOnlyList<string> CrossingStoreReferences(IReadOnlyList<(string Owner, string File, string Code)> sources)
    {
        var owners = sources.SelectMany(s => StoreDeclaration().Matches(s.Code).Select(m => (Store: m.Groups[1].Value, s.Owner)))
            .ToDictionary(t => t.Store, t => t.Owner, StringComparer.Ordinal);
        return [.. sources.SelectMany(s => StoreName().Matches(s.Code)
                .Where(m => owners.TryGetValue(m.Value, out var owner) && owner != s.Owner)
                .Select(m => $"{s.File} uses {m.Value} of {owners[m.Value]}"))
            .Distinct()];
    }

    internal static IReadOnlyList<string> CrossingTableReferences(IReadOnlyList<(string Owner, string File, string Code)> sources)
    {
        var owners = TableOwners(sources);
        return [.. sources.SelectMany(s => SqlTable().Matches(s.Code)
                .Where(m => owners.TryGetValue(m.Groups[1].Value, out var owner) && owner != s.Owner)
                .Select(m => $"{s.File} names {m.Groups[1].Value} of {owners[m.Groups[1].Value]} ({m.Value})"))
            .Distinct()];
    }

    [Fact]
    public void No_feature_uses_another_features_store()
    {
        var offenders = CrossingStoreReferences(Sources());
        Assert.True(offenders.Count == 0, "Use the feature's public interface instead: " + string.Join("; ", offenders));
    }

    [Fact]
    public void No_sql_names_another_features_table()
    {
        var sources = Sources();
        Assert.Contains("vehicle_users", TableOwners(sources).Keys); // the rule knows the tables
        var offenders = CrossingTableReferences(sources);
        Assert.True(offenders.Count == 0, "Ask the owning feature through its public interface instead: " + string.Join("; ", offenders));
    }

    [Fact]
    public void The_rules_catch_a_crossing_reference()
    {
        IReadOnlyList<(string Owner, string File, string Code)> sources =
        [
            ("Vehicles", "Features/Vehicles/VehicleStore.cs", """public sealed class VehicleStore { } new DataCategory("v", [new("vehicle_users")]);"""),
            ("Trips", "Features/Trips/TripStore.cs", """public sealed class TripStore(VehicleStore vehicles) { const string Sql = "SELECT vin FROM vehicle_users"; }"""),
        ];
        Assert.Equal(["Features/Trips/TripStore.cs uses VehicleStore of Vehicles"], CrossingStoreReferences(sources));
        Assert.Equal(["Features/Trips/TripStore.cs names vehicle_users of Vehicles (FROM vehicle_users)"], CrossingTableReferences(sources));
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bclass\s+(\w+Store)\b")]
    private static partial Regex StoreDeclaration();

    [GeneratedRegex(@"\b\w+Store\b")]
    private static partial Regex StoreName();

    /// <summary>A table in a data category: <c>new("table")</c> or <c>new("table", "age_column")</c>.</summary>
    [GeneratedRegex(@"\bnew\(""([a-z][a-z0-9_]*)""(?:,\s*""[a-z0-9_]+"")?\)")]
    private static partial Regex CategoryTable();

    [GeneratedRegex(@"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z][a-z0-9_]*)\b")]
    private static partial Regex SqlTable();
}
