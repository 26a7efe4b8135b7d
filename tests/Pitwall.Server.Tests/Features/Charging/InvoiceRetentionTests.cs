using System.Net.Http.Json;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>CDRs go after their 90 days; the invoice that billed them stays with its total for ten years from the end of the year of
/// issue (§147 AO, §14b UStG), also after the account is deleted, and goes then.</summary>
public abstract class InvoiceRetentionTests(PitwallServer server)
{
    [Fact]
    public async Task Cdrs_are_gone_after_90_days_while_the_invoice_stays_with_its_total_until_its_ten_years_are_over()
    {
        var (driver, card) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("TAX");
        await server.ChargedAsync(cpo, "TAX", card, 21.5m);
        var period = server.EndOfMonth();
        await (await server.AdminAsync()).PostAsJsonAsync("/api/v1/admin/charging/invoice-runs", new { period = period.Label });
        var number = (await (await server.FreshAsync(driver)).InvoicesAsync()).Single().GetProperty("number").GetString()!;
        var records = server.Get<ChargeRecordStore>();
        var sweeper = server.Get<RetentionSweeper>();
        Assert.Single(await records.CdrsOfAsync(driver.AccountId, 10, CancellationToken.None));

        server.Clock.Advance(TimeSpan.FromDays(91));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Empty(await records.CdrsOfAsync(driver.AccountId, 10, CancellationToken.None));
        var kept = Assert.Single(await (await server.FreshAsync(driver)).InvoicesAsync());
        Assert.Equal(9.98m, kept.GetProperty("total").GetDecimal());
        var invoice = await (await (await server.FreshAsync(driver)).GetAsync($"/api/v1/me/invoices/{number}")).JsonAsync();
        Assert.Equal(21.5m, invoice.GetProperty("items")[0].GetProperty("energyKwh").GetDecimal());

        // The account is erased: the invoice stays (its account id cleared), the customer's name on it.
        var account = (await server.Get<Pitwall.Server.Features.Accounts.IAccountDirectory>().FindAsync(driver.AccountId, CancellationToken.None))!;
        await server.Get<AccountErasure>().EraseAsync(account, CancellationToken.None);
        var (accountId, name) = await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<(string?, string)>(
            "SELECT account_id, customer_name FROM charging_invoices WHERE number = @number", new { number }), CancellationToken.None);
        Assert.Null(accountId);
        Assert.Equal("Test Owner", name);

        // Ten years from the end of the year of issue: kept the day before, gone the day after.
        var retentionFrom = await server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT retention_from FROM charging_invoices WHERE number = @number", new { number }), CancellationToken.None);
        var due = DateTimeOffset.FromUnixTimeMilliseconds(retentionFrom).AddDays(3653);
        Assert.True(due >= DateTimeOffset.FromUnixTimeMilliseconds(retentionFrom).AddYears(10));
        server.Clock.Advance(due - server.Clock.GetUtcNow() - TimeSpan.FromDays(1));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(1, await CountAsync(number));
        server.Clock.Advance(TimeSpan.FromDays(2));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(0, await CountAsync(number));
    }

    private Task<long> CountAsync(string number) =>
        server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM charging_invoices WHERE number = @number", new { number }), CancellationToken.None);
}

public sealed class InvoiceRetentionOnSqlite(SqliteServer server) : InvoiceRetentionTests(server), IClassFixture<SqliteServer>;

public sealed class InvoiceRetentionOnPostgres(PostgresServer server) : InvoiceRetentionTests(server), IClassFixture<PostgresServer>;
