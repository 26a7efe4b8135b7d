namespace Pitwall.Server.Data.Privacy;

/// <summary>All data categories that the composed features declared, checked for clashes at start-up.</summary>
public sealed class DataCategoryRegister
{
    public DataCategoryRegister(IEnumerable<DataCategory> categories)
    {
        All = categories.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var duplicateId = All.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicateId is not null)
        {
            throw new InvalidOperationException($"Data category '{duplicateId.Key}' is declared twice.");
        }
        var sharedTable = All.SelectMany(c => c.Tables.Select(t => (t.Name, c.Id))).GroupBy(x => x.Name).FirstOrDefault(g => g.Count() > 1);
        if (sharedTable is not null)
        {
            throw new InvalidOperationException($"Table '{sharedTable.Key}' is declared by several data categories.");
        }
    }

    public IReadOnlyList<DataCategory> All { get; }

    public DataCategory? Find(string id) => All.FirstOrDefault(c => c.Id == id);
}

public static class DataCategoryServiceCollectionExtensions
{
    /// <summary>Each feature declares the categories of the tables it owns next to its other registrations.</summary>
    public static IServiceCollection AddDataCategory(this IServiceCollection services, DataCategory category) =>
        services.AddSingleton(category);
}
