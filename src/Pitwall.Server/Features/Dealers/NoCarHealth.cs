using Pitwall.Server.Features.SmartService;

namespace Pitwall.Server.Features.Dealers;

/// <summary>While no feature provides <see cref="ICarHealth"/> (the Smart Service registers its own): no car has health data,
/// nothing is due.</summary>
internal sealed class NoCarHealth : ICarHealth
{
    public Task<CarHealthSummary?> ReadAsync(string vin, CancellationToken cancellationToken) => Task.FromResult<CarHealthSummary?>(null);

    public Task<IReadOnlyList<string>> DueItemsAsync(string vin, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public Task<ComponentHistory?> HistoryAsync(string vin, string component, CancellationToken cancellationToken) =>
        Task.FromResult<ComponentHistory?>(null);
}
