namespace Pitwall.Server.Features.Contracts;

/// <summary>Whether a vehicle is stolen or in theft mode now (REQUIREMENTS B4). The car security feature implements it.</summary>
public interface ITheftStatus
{
    /// <returns>True while the car is in theft mode or has an open theft case.</returns>
    Task<bool> IsStolenAsync(string vin, CancellationToken cancellationToken);
}

/// <summary>Until the car security feature exists, no vehicle is ever stolen.</summary>
internal sealed class NoTheftCases : ITheftStatus
{
    public Task<bool> IsStolenAsync(string vin, CancellationToken cancellationToken) => Task.FromResult(false);
}
