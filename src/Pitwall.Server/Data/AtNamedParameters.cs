using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Pitwall.Server.Data;

/// <summary>
/// A SQLite parameter whose name carries its <c>@</c>. Dapper names a parameter after its property (<c>vin</c>), and
/// Microsoft.Data.Sqlite then looks it up four times at every execution — as given, then with each of <c>@</c>, <c>:</c> and
/// <c>$</c> in front — each time building the name and encoding it to UTF-8: 7 % of everything the server allocated at
/// 1 000 commands/s (bench/README.md §3, seventeenth session). Pitwall's SQL names its parameters <c>@name</c>, so the
/// prefixed name is found at the first look-up.
/// </summary>
internal sealed class AtNamedParameter : SqliteParameter
{
    // The few names Pitwall's SQL uses, each prefixed once rather than at every execution.
    private static readonly ConcurrentDictionary<string, string> Prefixed = new(StringComparer.Ordinal);

    [AllowNull]
    public override string ParameterName
    {
        get => base.ParameterName;
        set => base.ParameterName = value is { Length: > 0 } && value[0] is not ('@' or ':' or '$')
            ? Prefixed.GetOrAdd(value, static name => "@" + name)
            : value;
    }
}

/// <summary>A read connection whose commands make <see cref="AtNamedParameter"/>s (the writer's own commands do too).</summary>
internal sealed class AtNamedConnection(string connectionString) : SqliteConnection(connectionString)
{
    public override SqliteCommand CreateCommand() =>
        new AtNamedCommand { Connection = this, CommandTimeout = DefaultTimeout, Transaction = Transaction };

    private sealed class AtNamedCommand : SqliteCommand
    {
        public override SqliteParameter CreateParameter() => new AtNamedParameter();
    }
}
