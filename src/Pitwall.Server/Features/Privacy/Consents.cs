using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Privacy;

/// <summary>A consent as recorded: who, for which car, to which purpose and scope, through which channel, and when withdrawn.</summary>
public sealed record ConsentRecord(
    string Id, string Vin, string Purpose, string Scope, string Channel, DateTimeOffset GrantedAt, DateTimeOffset? WithdrawnAt);

/// <summary>
/// The consent register (REQUIREMENTS P5). Purposes whose legal basis is consent ask it before they act; a consent covers
/// one scope (e.g. one breakdown case), so "each time" means a new consent each time. Withdrawal keeps the record.
/// </summary>
public sealed class Consents(Database database, TimeProvider time, IEnumerable<IConsentListener> listeners) : Vehicles.IVehicleAccessListener
{
    /// <summary>The purposes that need consent, with what they do; features add theirs here.</summary>
    public static readonly IReadOnlyDictionary<string, string> Purposes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["breakdown_data_sharing"] = "Share the car's breakdown data (position, warnings, state) with the assistance provider for one breakdown.",
        ["breakdown_position"] = "Show the car's position to the assistance provider for one breakdown, so that help can be sent.",
        ["breakdown_dealer_sharing"] = "Give the chosen dealer the car's breakdown data of one breakdown, to prepare the next service.",
        ["dealer_data_access"] = "Let the chosen dealer read the car's service data for one visit.",
        ["trip_history"] = "Keep a history of the car's drives and of its battery's charge level for 90 days, shown to the car's users.",
    };

    public static readonly string[] Channels = ["app", "web", "car"];

    public static void Validate(string? purpose, string? scope, string? channel, ValidationErrors errors)
    {
        if (purpose is null || !Purposes.ContainsKey(purpose))
        {
            errors.Add("purpose", $"One of: {string.Join(", ", Purposes.Keys)}.");
        }
        if (string.IsNullOrWhiteSpace(scope) || scope.Length > 100)
        {
            errors.Add("scope", "What the consent covers, 1 to 100 characters (e.g. the breakdown case).");
        }
        if (channel is null || !Channels.Contains(channel))
        {
            errors.Add("channel", "app, web or car.");
        }
    }

    public async Task<ConsentRecord> GrantAsync(string accountId, string vin, string purpose, string scope, string channel, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var consent = new ConsentRecord(Guid.CreateVersion7(now).ToString(), vin, purpose, scope.Trim(), channel, now, null);
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO consents (id, account_id, vin, purpose, scope, channel, granted_at)
            VALUES (@Id, @accountId, @Vin, @Purpose, @Scope, @Channel, @grantedAt)
            """, new { consent.Id, accountId, consent.Vin, consent.Purpose, consent.Scope, consent.Channel, grantedAt = now.ToUnixTimeMilliseconds() }, t),
            cancellationToken);
        return consent;
    }

    /// <returns>The consent as withdrawn, or null when the account has no such consent.</returns>
    /// <remarks>When no one's consent for the car and purpose is left, the purpose's listeners delete what it kept, in the same
    /// transaction.</remarks>
    public async Task<ConsentRecord?> WithdrawAsync(string accountId, string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync(async (c, t) =>
        {
            var given = await c.QuerySingleOrDefaultAsync<GivenConsent>(
                "SELECT vin AS Vin, purpose AS Purpose FROM consents WHERE id = @id AND account_id = @accountId AND withdrawn_at IS NULL",
                new { id, accountId }, t);
            if (given is null)
            {
                return;
            }
            await c.ExecuteAsync("UPDATE consents SET withdrawn_at = @now WHERE id = @id", new { id, now }, t);
            await TellIfNoneLeftAsync(c, t, given.Vin, given.Purpose);
        }, cancellationToken);
        return (await QueryAsync("account_id = @accountId AND id = @id", new { accountId, id }, cancellationToken)).SingleOrDefault();
    }

    public Task<IReadOnlyList<ConsentRecord>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        QueryAsync("account_id = @accountId", new { accountId }, cancellationToken);

    private async Task<IReadOnlyList<ConsentRecord>> QueryAsync(string where, object args, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string Id, string Vin, string Purpose, string Scope, string Channel, long GrantedAt, long? WithdrawnAt)>(
            $"SELECT id, vin, purpose, scope, channel, granted_at, withdrawn_at FROM consents WHERE {where} ORDER BY granted_at DESC, id DESC", args),
            cancellationToken))
        .Select(r => new ConsentRecord(r.Id, r.Vin, r.Purpose, r.Scope, r.Channel, DateTimeOffset.FromUnixTimeMilliseconds(r.GrantedAt),
            r.WithdrawnAt is { } w ? DateTimeOffset.FromUnixTimeMilliseconds(w) : null))
        .ToList();

    /// <summary>Access to the car ended (for everyone at unpairing, or for one driver): the consents given for it by those who
    /// lost access are withdrawn, so nothing consented to for the car goes on under its next users.</summary>
    public async Task OnAccessEndedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin, string? accountId)
    {
        const string Theirs = "vin = @vin AND (@accountId IS NULL OR account_id = @accountId) AND withdrawn_at IS NULL";
        var purposes = (await connection.QueryAsync<string>($"SELECT DISTINCT purpose FROM consents WHERE {Theirs}", new { vin, accountId }, transaction)).ToList();
        await connection.ExecuteAsync($"UPDATE consents SET withdrawn_at = @now WHERE {Theirs}",
            new { vin, accountId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
        foreach (var purpose in purposes)
        {
            await TellIfNoneLeftAsync(connection, transaction, vin, purpose);
        }
    }

    private async Task TellIfNoneLeftAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin, string purpose)
    {
        if (await IsGivenAsync(connection, transaction, vin, purpose, scope: null))
        {
            return;
        }
        foreach (var listener in listeners)
        {
            await listener.OnWithdrawnAsync(connection, transaction, vin, purpose);
        }
    }

    /// <summary>What a consent-based purpose asks before it acts: is there a consent for this car, purpose and scope (null: any), not withdrawn?</summary>
    public Task<bool> IsGivenAsync(string vin, string purpose, string? scope, CancellationToken cancellationToken) =>
        database.ReadAsync(c => IsGivenAsync(c, null, vin, purpose, scope), cancellationToken);

    /// <summary>The same question inside a transaction (the ingest writer's); a null scope asks for any scope.</summary>
    public static async Task<bool> IsGivenAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction,
        string vin, string purpose, string? scope) =>
        await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM consents WHERE vin = @vin AND purpose = @purpose AND (@scope IS NULL OR scope = @scope) AND withdrawn_at IS NULL",
            new { vin, purpose, scope }, transaction) > 0;

    private sealed record GivenConsent(string Vin, string Purpose);
}

/// <summary>A feature that keeps data on the strength of a consent: told when the last consent of a car for its purpose is
/// withdrawn, inside the withdrawal's transaction, so that it deletes what it kept.</summary>
public interface IConsentListener
{
    Task OnWithdrawnAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin, string purpose);
}

/// <param name="Channel">Where it was given: app (default), web or car.</param>
internal sealed record GrantConsentRequest(string? Vin, string? Purpose, string? Scope, string? Channel);
