using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pitwall.Bench.Charging;

/// <summary>The storage ceilings of the charging benchmark: what SQLite alone does with the same rows, on the same machine and run.</summary>
internal static class ChargingCeilings
{
    /// <summary>The CDR rows the intake stores, each its own INSERT and COMMIT (a POST commits one CDR), with the same body.</summary>
    public static (int Rows, double Seconds) CdrInserts(string database, int count, int accounts, DateTimeOffset start, DateTimeOffset now)
    {
        using var connection = ChargingData.Open(database);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO charging_cdrs (partner_id, country_code, party_id, id, account_id, token_uid, contract_id, session_id, start_at, end_at, total_energy,
                total_cost, currency, body, received_at)
            VALUES ($p, 'DE', 'BEN', $id, $a, $uid, $emaid, $session, $start, $end, 12.5, 4.88, 'EUR', $body, $now)
            """;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"CDR-CEIL-{i:D8}");
            var account = i % accounts;
            using var transaction = connection.BeginTransaction();
            command.Transaction = transaction;
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$p", ChargingData.PartnerId);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$a", ChargingData.AccountId(account));
            command.Parameters.AddWithValue("$uid", ChargingData.Uid(account));
            command.Parameters.AddWithValue("$emaid", ChargingData.ContractId(account));
            command.Parameters.AddWithValue("$session", id[4..]);
            command.Parameters.AddWithValue("$start", start.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$end", start.AddMinutes(40).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$body", ChargingData.Cdr(id, account, start, start.AddMinutes(40), 12.5m, now).ToJsonString());
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            transaction.Commit();
        }
        return (count, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The invoice run's storage work without its logic: per account (in account order, as the run pages them) one transaction that
    /// reads the account's uninvoiced CDRs with their bodies, writes one invoice row holding the lines, and marks those CDRs with its
    /// number. No pricing, no number series, no notification, no payment.
    /// </summary>
    public static (int Invoices, double Seconds) InvoiceWrites(string database, string period, DateTimeOffset periodEnd)
    {
        using var connection = ChargingData.Open(database);
        using var accounts = connection.CreateCommand();
        using var read = connection.CreateCommand();
        using var write = connection.CreateCommand();
        using var mark = connection.CreateCommand();
        read.CommandText = "SELECT id, body, total_cost FROM charging_cdrs WHERE account_id = $a AND invoice_number IS NULL AND end_at < $before ORDER BY start_at";
        write.CommandText =
            """
            INSERT INTO charging_invoices (number, kind, series, seq, account_id, contract_id, period, currency, issued_at, retention_from, customer_name,
                customer_address, payment_provider, payment_token, card_last4, net_minor, vat_minor, gross_minor, lines, payment_state, updated_at)
            VALUES ($n, 'invoice', 'ceiling', $seq, $a, 'DE-PWL-CEILING', $period, 'EUR', $now, $now, 'Bench Driver', '{}', 'local', 'lpt', '4242',
                $net, $vat, $gross, $lines, 'open', $now)
            """;
        mark.CommandText = "UPDATE charging_cdrs SET invoice_number = $n WHERE account_id = $a AND invoice_number IS NULL AND end_at < $before";
        var before = periodEnd.ToUnixTimeMilliseconds();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var watch = Stopwatch.StartNew();
        var invoices = 0;
        var after = "";
        while (true)
        {
            accounts.CommandText = "SELECT DISTINCT account_id FROM charging_cdrs WHERE invoice_number IS NULL AND end_at < $before AND account_id > $after ORDER BY account_id LIMIT 500";
            accounts.Parameters.Clear();
            accounts.Parameters.AddWithValue("$after", after);
            accounts.Parameters.AddWithValue("$before", before);
            var page = new List<string>();
            using (var reader = accounts.ExecuteReader())
            {
                while (reader.Read())
                {
                    page.Add(reader.GetString(0));
                }
            }
            if (page.Count == 0)
            {
                break;
            }
            foreach (var account in page)
            {
                using var transaction = connection.BeginTransaction();
                read.Transaction = write.Transaction = mark.Transaction = transaction;
                read.Parameters.Clear();
                read.Parameters.AddWithValue("$a", account);
                read.Parameters.AddWithValue("$before", before);
                var lines = new StringBuilder("[");
                long net = 0;
                using (var reader = read.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var body = reader.GetString(1); // read as the run reads it (which also parses and prices it)
                        var cost = (long)Math.Round(reader.GetDouble(2) * 100);
                        lines.Append(lines.Length > 1 ? "," : "").Append("{\"cdr\":\"").Append(reader.GetString(0)).Append("\",\"bytes\":").Append(body.Length)
                            .Append(",\"net\":").Append(cost).Append('}');
                        net += cost;
                    }
                }
                var number = string.Create(CultureInfo.InvariantCulture, $"CEIL-{invoices + 1:D8}");
                write.Parameters.Clear();
                write.Parameters.AddWithValue("$n", number);
                write.Parameters.AddWithValue("$seq", invoices + 1);
                write.Parameters.AddWithValue("$a", account);
                write.Parameters.AddWithValue("$period", period);
                write.Parameters.AddWithValue("$now", now);
                write.Parameters.AddWithValue("$net", net);
                write.Parameters.AddWithValue("$vat", net * 19 / 100);
                write.Parameters.AddWithValue("$gross", net + net * 19 / 100);
                write.Parameters.AddWithValue("$lines", lines.Append(']').ToString());
                write.ExecuteNonQuery();
                mark.Parameters.Clear();
                mark.Parameters.AddWithValue("$n", number);
                mark.Parameters.AddWithValue("$a", account);
                mark.Parameters.AddWithValue("$before", before);
                mark.ExecuteNonQuery();
                transaction.Commit();
                invoices++;
            }
            after = page[^1];
        }
        return (invoices, watch.Elapsed.TotalSeconds);
    }
}
