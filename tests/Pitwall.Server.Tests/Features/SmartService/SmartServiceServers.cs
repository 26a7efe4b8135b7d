using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>The Smart Service's servers: the prediction job runs when a test says (its timer is off), so moving the clock by
/// days never races a run.</summary>
public sealed class SmartServiceSqliteServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:SmartService:PredictionEnabled", "false")];
}

public sealed class SmartServicePostgresServer : PostgresServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:SmartService:PredictionEnabled", "false")];
}
