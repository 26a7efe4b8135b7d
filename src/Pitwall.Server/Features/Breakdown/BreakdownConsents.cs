using Pitwall.Server.Features.Privacy;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>What the driver consented to for one call (P5): the snapshot and diagnosis to the assistance centre, the position to
/// send help, the snapshot to the dealer.</summary>
internal sealed record CallConsent(bool Assistance, bool Position, bool ToDealer);

/// <summary>
/// The breakdown call's consents, kept in the platform's consent register with the case id as their scope (so a consent covers
/// one call only, and each call asks anew). An emergency call needs none: its data goes to the centre by law (P1).
/// </summary>
internal sealed class BreakdownConsents(Consents consents)
{
    public const string Assistance = "breakdown_data_sharing";
    public const string Position = "breakdown_position";
    public const string Dealer = "breakdown_dealer_sharing";

    public static readonly CallConsent Everything = new(true, true, true);

    public async Task<CallConsent> OfAsync(AssistanceCase k, CancellationToken cancellationToken) =>
        k.Kind == CaseKind.Emergency ? Everything
        : new(await consents.IsGivenAsync(k.Vin, Assistance, k.Id, cancellationToken), await consents.IsGivenAsync(k.Vin, Position, k.Id, cancellationToken),
            k.DealerId is not null && await consents.IsGivenAsync(k.Vin, Dealer, k.Id, cancellationToken));

    /// <summary>Gives what is asked and not given yet, withdraws what is given and asked off; a null answer leaves it as it is.</summary>
    /// <returns>What changed, as timeline lines ("assistance given", "position withdrawn").</returns>
    public async Task<IReadOnlyList<string>> SetAsync(
        string accountId, AssistanceCase k, bool? assistance, bool? position, bool? dealer, string channel, CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        var mine = (await consents.ListAsync(accountId, cancellationToken)).Where(r => r.Vin == k.Vin && r.Scope == k.Id && r.WithdrawnAt is null).ToList();
        foreach (var (purpose, wanted, label) in new[] { (Assistance, assistance, "assistance"), (Position, position, "position"), (Dealer, dealer, "dealer") })
        {
            if (wanted is not { } want)
            {
                continue;
            }
            var given = mine.Where(r => r.Purpose == purpose).ToList();
            if (want && given.Count == 0 && !await consents.IsGivenAsync(k.Vin, purpose, k.Id, cancellationToken))
            {
                await consents.GrantAsync(accountId, k.Vin, purpose, k.Id, channel, cancellationToken);
                changed.Add($"{label} given ({channel})");
            }
            else if (!want && given.Count > 0)
            {
                foreach (var record in given)
                {
                    await consents.WithdrawAsync(accountId, record.Id, cancellationToken);
                }
                changed.Add($"{label} withdrawn ({channel})");
            }
        }
        return changed;
    }
}
