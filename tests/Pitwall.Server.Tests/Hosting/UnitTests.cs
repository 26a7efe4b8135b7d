using Pitwall.Server.Data;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Tests.Hosting;

public sealed class ScopeTests
{
    [Fact]
    public void Without_a_requested_scope_the_role_gets_all_of_its_scopes() =>
        Assert.Equal(Scopes.ForRole(Roles.Owner), Scopes.Grant(Roles.Owner, null));

    [Fact]
    public void A_scope_outside_the_role_is_refused() => Assert.Null(Scopes.Grant(Roles.Owner, "read_account control_admin"));

    [Fact]
    public void Requested_scopes_are_deduplicated() => Assert.Equal(["read_account"], Scopes.Grant(Roles.Driver, "read_account  read_account"));

    [Fact]
    public void Every_role_has_scopes_and_only_admins_control_admin()
    {
        Assert.All(Roles.All, role => Assert.NotEmpty(Scopes.ForRole(role)));
        Assert.Equal([Roles.Admin], Roles.All.Where(r => Scopes.ForRole(r).Contains(Scopes.ControlAdmin)));
    }
}

public sealed class DatabaseOptionTests
{
    [Theory]
    [InlineData("Data Source=./data/pitwall.db", SqlDialect.Sqlite)]
    [InlineData("Host=127.0.0.1;Database=pitwall", SqlDialect.Postgres)]
    [InlineData("postgres://u:p@db:5433/pitwall", SqlDialect.Postgres)]
    [InlineData("postgresql://db/pitwall", SqlDialect.Postgres)]
    public void The_connection_string_chooses_the_engine(string connectionString, SqlDialect dialect) =>
        Assert.Equal(dialect, DatabaseOptions.DialectOf(connectionString));

    [Fact]
    public void Postgres_uris_become_npgsql_connection_strings()
    {
        var converted = new Npgsql.NpgsqlConnectionStringBuilder(Database.ToNpgsql("postgres://pit%40wall:s%3Acret@db.example:5433/fleet"));
        Assert.Equal(("db.example", 5433, "fleet", "pit@wall", "s:cret"), (converted.Host, converted.Port, converted.Database, converted.Username, converted.Password));
    }

    [Fact]
    public void Postgres_connections_prepare_repeated_statements_and_skip_the_reset_unless_the_connection_string_says_otherwise()
    {
        var defaults = new Npgsql.NpgsqlConnectionStringBuilder(Database.WithPreparedStatements("Host=db;Database=pitwall"));
        Assert.Equal((64, true), (defaults.MaxAutoPrepare, defaults.NoResetOnClose));
        var chosen = new Npgsql.NpgsqlConnectionStringBuilder(Database.WithPreparedStatements("Host=db;Database=pitwall;Max Auto Prepare=0;No Reset On Close=false"));
        Assert.Equal((0, false), (chosen.MaxAutoPrepare, chosen.NoResetOnClose));
    }

    [Fact]
    public void Both_engines_have_the_same_migrations() =>
        Assert.Equal(Migrator.Known(SqlDialect.Sqlite).Select(m => (m.Version, m.Name)), Migrator.Known(SqlDialect.Postgres).Select(m => (m.Version, m.Name)));
}

public sealed class RetentionRuleTests
{
    [Fact]
    public void Twelve_months_is_a_year_of_365_days() => Assert.Equal(TimeSpan.FromDays(365), Retention.Months(12).Period);

    [Fact]
    public void Shorter_month_periods_count_thirty_days() => Assert.Equal(TimeSpan.FromDays(90), Retention.Months(3).Period);
}

public sealed class SourceRuleTests
{
    /// <summary>DESIGN §3.6: time comes from TimeProvider, so that tests can move it.</summary>
    [Fact]
    public void No_source_file_reads_the_system_clock_directly()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src"));
        Assert.True(Directory.Exists(root), root);
        string[] banned = ["DateTime.UtcNow", "DateTime.Now", "DateTimeOffset.UtcNow", "DateTimeOffset.Now", "DateTime.Today"];
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => banned.Where(b => File.ReadAllText(f).Contains(b, StringComparison.Ordinal)).Select(b => $"{f}: {b}"))
            .ToList();
        Assert.Empty(offenders);
    }
}
