namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// Three Pitwall instances (A, B, C) in this process, each on its own loopback port, sharing one PostgreSQL database and one
/// nats-server, as issue 19's scale-out runs them behind a load balancer.
/// </summary>
public sealed class PitwallCluster : IAsyncLifetime
{
    private string _database = "";

    public TestNats Nats { get; private set; } = null!;
    public ClusterInstance A { get; private set; } = null!;
    public ClusterInstance B { get; private set; } = null!;
    public ClusterInstance C { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Nats = await TestNats.StartAsync();
        // One after the other: the first applies the migrations.
        A = await StartAsync("A");
        B = await StartAsync("B");
        C = await StartAsync("C");
    }

    private async Task<ClusterInstance> StartAsync(string name)
    {
        var instance = new ClusterInstance(_database, Nats.Url, name);
        await instance.InitializeAsync();
        return instance;
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in new[] { C, B, A })
        {
            if (instance is not null)
            {
                await instance.DisposeAsync();
            }
        }
        await Nats.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }
}

/// <summary>One instance of a <see cref="PitwallCluster"/>: the shared database is the cluster's, not dropped with the instance.</summary>
public sealed class ClusterInstance(string connectionString, string natsUrl, string name) : PostgresServer
{
    public string Name { get; } = name;

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);

    protected override Task DropDatabaseAsync(string connectionString) => Task.CompletedTask;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Pitwall:Cluster:NatsUrl", natsUrl),
        new("Pitwall:Cluster:InstanceId", Name),
        // Each instance has its own hand-driven clock, whose heartbeat timer fires only when a test moves it: the instances must
        // not take each other for dead (ProcessCluster, on real clocks, tests that).
        new("Pitwall:Cluster:InstanceTimeout", "01:00:00"),
    ];

    /// <summary>An HTTP client of this instance for a user signed in anywhere (tokens live in the shared database).</summary>
    public HttpClient ClientFor(TestUser user) => ClientWith(user.AccessToken);
}
