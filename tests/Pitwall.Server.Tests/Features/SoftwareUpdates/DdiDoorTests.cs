using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Hosting;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>What makes a DDI poll and a download's authorisation cheap, and the bounds it keeps: poll times written together
/// (<c>PollTimeLinger</c>) but shown at once, and the door's short-lived copies (<c>DoorCacheLifetime</c>, SQLite) that changes
/// made through Pitwall end at once.</summary>
public abstract class DdiDoorTests(PitwallServer server)
{
    private static string Base(string controllerId) => $"/DEFAULT/controller/v1/{controllerId}";

    private static string NewControllerId() => $"device-{Guid.NewGuid():N}"[..24];

    private Task<long?> StoredPollAsync(string controllerId) =>
        server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<long?>("SELECT last_poll_at FROM sw_targets WHERE controller_id = @controllerId", new { controllerId }),
            CancellationToken.None);

    [Fact]
    public async Task A_poll_shows_at_once_and_its_time_is_written_with_other_polls_after_the_linger()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var first = NewControllerId();
        var second = NewControllerId();
        using var one = admin.Controller(await admin.TargetAsync(first, null));
        using var other = admin.Controller(await admin.TargetAsync(second, null));
        Assert.Equal(HttpStatusCode.OK, (await one.GetAsync(Base(first))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(Base(second))).StatusCode);
        var polledAt = server.Clock.GetUtcNow();

        // The API shows the poll at once; the database has not been written yet (the clock stands still: no linger has passed).
        Assert.Equal(polledAt, (await admin.StateAsync(first)).GetProperty("lastPollAt").GetDateTimeOffset());
        Assert.Null(await StoredPollAsync(first));
        Assert.Null(await StoredPollAsync(second));

        server.Clock.Advance(TimeSpan.FromSeconds(5)); // Pitwall:SoftwareUpdates:PollTimeLinger
        var waited = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (await StoredPollAsync(second) is null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the polls' times were not written after the linger");
            await timer.WaitForNextTickAsync();
        }
        Assert.Equal(polledAt.ToUnixTimeMilliseconds(), await StoredPollAsync(first));
        Assert.Equal(polledAt.ToUnixTimeMilliseconds(), await StoredPollAsync(second));
        Assert.Equal(polledAt, (await admin.StateAsync(first)).GetProperty("lastPollAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_replaced_target_token_is_refused_at_once_and_a_removed_target_after_the_door_cache_lifetime_at_most()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var id = NewControllerId();
        using var old = admin.Controller(await admin.TargetAsync(id, null));
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync(Base(id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync(Base(id))).StatusCode); // on SQLite from the door's copy

        // A new token (as the vehicle link's offer gives one): the old one is refused on its next request.
        var renewed = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await server.Get<TargetStore>().SetTokenAsync(id, Hashing.Sha256Hex(renewed), CancellationToken.None);
        await (await old.GetAsync(Base(id))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        using var current = admin.Controller(renewed);
        Assert.Equal(HttpStatusCode.OK, (await current.GetAsync(Base(id))).StatusCode);

        // Removed underneath Pitwall's stores (as the car's deregistration does): on SQLite it may be let in from the door's copy, for
        // the cache's lifetime at most (whether it is depends on other tests' changes meanwhile: they make every copy stale).
        await server.Get<Database>().WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM sw_targets WHERE controller_id = @id", new { id }, t), CancellationToken.None);
        server.Clock.Advance(TimeSpan.FromSeconds(5)); // Pitwall:SoftwareUpdates:DoorCacheLifetime
        await (await current.GetAsync(Base(id))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task The_door_follows_an_assignment_an_added_artifact_and_a_cancellation_made_after_it_answered()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        byte[] first = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i % 251))];
        byte[] second = [.. Enumerable.Range(0, 7000).Select(i => (byte)(i % 241))];
        var (moduleId, _) = await admin.ModuleAsync("door", $"1.{Random.Shared.Next()}", "first.bin", first, kind: "application");
        var setId = await admin.SetAsync("Door", $"{Random.Shared.Next()}", [moduleId]);
        var id = NewControllerId();
        using var device = admin.Controller(await admin.TargetAsync(id, null));
        var files = $"{Base(id)}/softwaremodules/{moduleId}/artifacts";

        Assert.False((await (await device.GetAsync(Base(id))).JsonAsync()).GetProperty("_links").TryGetProperty("deploymentBase", out _));
        await (await device.GetAsync($"{files}/first.bin")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found"); // not assigned yet
        var actionId = await admin.AssignAsync(setId, id, "soft");
        Assert.True((await (await device.GetAsync(Base(id))).JsonAsync()).GetProperty("_links").TryGetProperty("deploymentBase", out _));
        Assert.Equal(first, await device.GetByteArrayAsync($"{files}/first.bin"));

        using var body = new ByteArrayContent(second);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await UpdateAdmin.CreatedAsync(await admin.Client.PutAsync($"/api/v1/admin/software/modules/{moduleId}/artifacts/second.bin", body));
        Assert.Equal(second, await device.GetByteArrayAsync($"{files}/second.bin"));

        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/admin/software/actions/{actionId}/cancel", null)).StatusCode);
        Assert.True((await (await device.GetAsync(Base(id))).JsonAsync()).GetProperty("_links").TryGetProperty("cancelAction", out _));
    }
}

public sealed class DdiDoorOnSqlite(UpdateSqliteServer server) : DdiDoorTests(server), IClassFixture<UpdateSqliteServer>;

public sealed class DdiDoorOnPostgres(UpdatePostgresServer server) : DdiDoorTests(server), IClassFixture<UpdatePostgresServer>;
