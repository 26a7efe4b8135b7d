using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Pitwall.Server.Hosting;

namespace Pitwall.Bench.Charging;

/// <summary>
/// The charging benchmark's data, written straight into a migrated database (setup, not timed): one registered charge point operator
/// (the state the credentials handshake leaves: its token C as a hash, party DE*BEN), and per account a car it owns, the car's active
/// Charging Service package, the account's contract id and one RFID card; for the invoice run also the month's CDRs. The rows are
/// the ones Pitwall's own paths write (the migrations' columns); the measured paths then go through HTTP and the real code.
/// </summary>
internal static class ChargingData
{
    public const string PartnerId = "bench-cpo";
    public const string CountryCode = "DE";
    public const string PartyId = "BEN";
    public const string TokenC = "bench-token-c-2f6d3a9e51c84b7f";

    public static string Uid(int account) => string.Create(CultureInfo.InvariantCulture, $"BENCH{account:D8}");

    public static string AccountId(int account) => string.Create(CultureInfo.InvariantCulture, $"bench-acct-{account:D8}");

    public static string ContractId(int account) => string.Create(CultureInfo.InvariantCulture, $"DE-PWL-B{account:D8}-0");

    private static string Vin(int account) => string.Create(CultureInfo.InvariantCulture, $"WP0BENCH{account:D9}");

    public static void FillAccounts(string database, int accounts, DateTimeOffset now)
    {
        SQLitePCL.Batteries_V2.Init();
        using var connection = Open(database);
        var ms = now.ToUnixTimeMilliseconds();
        using (var partner = connection.CreateCommand())
        {
            partner.CommandText =
                """
                INSERT INTO charging_partners (id, name, state, token_c_hash, token_b, country_code, party_id, versions_url, endpoints, created_at, updated_at)
                VALUES ($id, 'Benchmark CPO', 'registered', $hash, 'bench-token-b', $cc, $party, 'http://127.0.0.1:9/versions', '[]', $now, $now)
                """;
            partner.Parameters.AddWithValue("$id", PartnerId);
            partner.Parameters.AddWithValue("$hash", Hashing.Sha256Hex(TokenC));
            partner.Parameters.AddWithValue("$cc", CountryCode);
            partner.Parameters.AddWithValue("$party", PartyId);
            partner.Parameters.AddWithValue("$now", ms);
            partner.ExecuteNonQuery();
        }
        string[] statements =
        [
            "INSERT INTO accounts (id, email, email_normalized, password_hash, name, phone_numbers, address, locale, role, created_at, updated_at) " +
            "VALUES ($a, $email, $email, 'x', $name, '[]', '{\"street\":\"Musterstraße 1\",\"postalCode\":\"70173\",\"city\":\"Stuttgart\",\"country\":\"DE\"}', 'en', 'owner', $now, $now)",
            "INSERT INTO vehicles (vin, model, model_year, created_at) VALUES ($vin, 'Taycan', 2025, $now)",
            "INSERT INTO vehicle_users (vin, account_id, role, created_at) VALUES ($vin, $a, 'primary', $now)",
            "INSERT INTO contracts (id, vin, account_id, package_id, state, auto_renew, purchased_at, starts_at, ends_at, terms, price_minor, currency) " +
            "VALUES ($contract, $vin, $a, 'charging_service', 'active', 0, $now, $start, $end, 1, 0, 'EUR')",
            "INSERT INTO charging_contracts (account_id, vin, contract_id, created_at) VALUES ($a, $vin, $emaid, $now)",
            "INSERT INTO charging_tokens (uid, type, account_id, contract_id, visual_number, valid, created_at, last_updated) VALUES ($uid, 'RFID', $a, $emaid, $uid, 1, $now, $now)",
            "INSERT INTO charging_payment_cards (account_id, provider, token, brand, last4, created_at) VALUES ($a, 'local', $card, 'visa', '4242', $now)",
        ];
        var commands = statements.Select(sql => { var c = connection.CreateCommand(); c.CommandText = sql; return c; }).ToList();
        var transaction = connection.BeginTransaction();
        for (var i = 0; i < accounts; i++)
        {
            foreach (var command in commands)
            {
                command.Transaction = transaction;
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$a", AccountId(i));
                command.Parameters.AddWithValue("$email", string.Create(CultureInfo.InvariantCulture, $"driver{i:D8}@bench.pitwall.dev"));
                command.Parameters.AddWithValue("$name", string.Create(CultureInfo.InvariantCulture, $"Bench Driver {i}"));
                command.Parameters.AddWithValue("$vin", Vin(i));
                command.Parameters.AddWithValue("$contract", string.Create(CultureInfo.InvariantCulture, $"bench-contract-{i:D8}"));
                command.Parameters.AddWithValue("$emaid", ContractId(i));
                command.Parameters.AddWithValue("$uid", Uid(i));
                // The local payment provider's token shape (brand, last four digits, 24 hex digits): no card number anywhere.
                command.Parameters.AddWithValue("$card", string.Create(CultureInfo.InvariantCulture, $"lpt_visa_4242_{i:x24}"));
                command.Parameters.AddWithValue("$now", ms);
                command.Parameters.AddWithValue("$start", ms - 400L * 86_400_000);
                command.Parameters.AddWithValue("$end", ms + 400L * 86_400_000);
                command.ExecuteNonQuery();
            }
            if (i % 5000 == 4999)
            {
                transaction.Commit();
                transaction = connection.BeginTransaction();
            }
        }
        transaction.Commit();
        foreach (var command in commands)
        {
            command.Dispose();
        }
    }

    /// <summary><paramref name="perAccount"/> CDRs per account, each of a charge within [<paramref name="from"/>, <paramref name="to"/>),
    /// as the CDR receiver stores them (the OCPI object in <c>body</c>, the columns it fills).</summary>
    public static void FillCdrs(string database, int accounts, int perAccount, DateTimeOffset from, DateTimeOffset to, DateTimeOffset receivedAt)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO charging_cdrs (partner_id, country_code, party_id, id, account_id, token_uid, contract_id, session_id, start_at, end_at, total_energy,
                total_cost, currency, body, received_at)
            VALUES ($p, $cc, $party, $id, $a, $uid, $emaid, $session, $start, $end, $kwh, $cost, 'EUR', $body, $received)
            """;
        var transaction = connection.BeginTransaction();
        var span = (to - from).TotalMinutes - 120;
        for (var i = 0; i < accounts; i++)
        {
            for (var n = 0; n < perAccount; n++)
            {
                var start = from.AddMinutes(span * (n + 0.5) / perAccount);
                var kwh = 5m + (i * 7 + n * 13) % 50;
                var id = string.Create(CultureInfo.InvariantCulture, $"CDR-{i:D8}-{n:D3}");
                var cdr = Cdr(id, i, start, start.AddMinutes(45), kwh, receivedAt);
                command.Transaction = transaction;
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$p", PartnerId);
                command.Parameters.AddWithValue("$cc", CountryCode);
                command.Parameters.AddWithValue("$party", PartyId);
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$a", AccountId(i));
                command.Parameters.AddWithValue("$uid", Uid(i));
                command.Parameters.AddWithValue("$emaid", ContractId(i));
                command.Parameters.AddWithValue("$session", id[4..]);
                command.Parameters.AddWithValue("$start", start.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$end", start.AddMinutes(45).ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$kwh", (double)kwh);
                command.Parameters.AddWithValue("$cost", (double)Math.Round(kwh * 0.39m, 2));
                command.Parameters.AddWithValue("$body", cdr.ToJsonString());
                command.Parameters.AddWithValue("$received", receivedAt.ToUnixTimeMilliseconds());
                command.ExecuteNonQuery();
            }
            if (i % 2000 == 1999)
            {
                transaction.Commit();
                transaction = connection.BeginTransaction();
            }
        }
        transaction.Commit();
    }

    /// <summary>An OCPI 2.2.1 CDR of the benchmark's operator for the account's card: energy and time in one charging period, the
    /// operator's tariff (0.39 EUR/kWh excl. VAT, 19 % VAT) carried in the CDR.</summary>
    public static JsonObject Cdr(string id, int account, DateTimeOffset start, DateTimeOffset end, decimal kwh, DateTimeOffset now)
    {
        var hours = Math.Round((decimal)(end - start).TotalHours, 4);
        var cost = Math.Round(kwh * 0.39m, 2);
        return new JsonObject
        {
            ["country_code"] = CountryCode,
            ["party_id"] = PartyId,
            ["id"] = id,
            ["start_date_time"] = Time(start),
            ["end_date_time"] = Time(end),
            ["session_id"] = id[4..],
            ["cdr_token"] = new JsonObject
            {
                ["country_code"] = "DE", ["party_id"] = "PWL", ["uid"] = Uid(account), ["type"] = "RFID", ["contract_id"] = ContractId(account),
            },
            ["auth_method"] = "AUTH_REQUEST",
            ["cdr_location"] = new JsonObject
            {
                ["id"] = "BNA00001", ["name"] = "Stadtwerke Heidelberg, Marktplatz 1", ["address"] = "Marktplatz 1", ["city"] = "Heidelberg",
                ["postal_code"] = "69117", ["country"] = "DEU",
                ["coordinates"] = new JsonObject { ["latitude"] = "49.412345", ["longitude"] = "8.710000" },
                ["evse_uid"] = "BNA00001-1", ["evse_id"] = "DE*BEN*EBNA00001*1", ["connector_id"] = "1", ["connector_standard"] = "IEC_62196_T2",
                ["connector_format"] = "SOCKET", ["connector_power_type"] = "AC_3_PHASE",
            },
            ["currency"] = "EUR",
            ["tariffs"] = new JsonArray(new JsonObject
            {
                ["country_code"] = CountryCode, ["party_id"] = PartyId, ["id"] = "STANDARD", ["currency"] = "EUR",
                ["elements"] = new JsonArray(new JsonObject
                {
                    ["price_components"] = new JsonArray(new JsonObject { ["type"] = "ENERGY", ["price"] = 0.39, ["vat"] = 19.0, ["step_size"] = 1 }),
                }),
                ["last_updated"] = Time(now),
            }),
            ["charging_periods"] = new JsonArray(new JsonObject
            {
                ["start_date_time"] = Time(start),
                ["dimensions"] = new JsonArray(new JsonObject { ["type"] = "ENERGY", ["volume"] = kwh }, new JsonObject { ["type"] = "TIME", ["volume"] = hours }),
                ["tariff_id"] = "STANDARD",
            }),
            ["total_cost"] = new JsonObject { ["excl_vat"] = cost, ["incl_vat"] = Math.Round(cost * 1.19m, 2) },
            ["total_energy"] = kwh,
            ["total_time"] = hours,
            ["last_updated"] = Time(now),
        };
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
