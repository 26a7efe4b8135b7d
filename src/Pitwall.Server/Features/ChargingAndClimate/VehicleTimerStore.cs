using System.Data.Common;
using System.Globalization;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.ChargingAndClimate;

/// <summary>A timer slot as the car confirmed it.</summary>
internal sealed record VehicleTimer(
    string Kind, int Slot, string Time, string? Date, IReadOnlyList<string>? Days, double? TargetStateOfCharge, DateTimeOffset ConfirmedAt);

/// <summary>
/// SQL for <c>vehicle_timers</c>. A timer exists here once the car performed the command that set it: written in the
/// transaction that records the outcome, removed when the car performed its deletion or the car changed hands.
/// </summary>
public sealed class VehicleTimerStore(Database database) : ICommandOutcomeListener, IVehicleAccessListener
{
    public const string Charge = "charge", Climate = "climate";

    internal async Task<IReadOnlyList<VehicleTimer>> ListAsync(string vin, string kind, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>(
            """
            SELECT slot AS Slot, time_of_day AS Time, date AS Date, days AS Days, target_state_of_charge AS Target, confirmed_at AS ConfirmedAt
            FROM vehicle_timers WHERE vin = @vin AND kind = @kind ORDER BY slot
            """, new { vin, kind }), cancellationToken))
        .Select(r => new VehicleTimer(kind, r.Slot, r.Time, r.Date, r.Days?.Split(','), r.Target, DateTimeOffset.FromUnixTimeMilliseconds(r.ConfirmedAt)))
        .ToList();

    public async Task OnPerformedAsync(DbConnection connection, DbTransaction transaction, CommandRecord command)
    {
        var (kind, set) = command.Type switch
        {
            "charge_timer_set" => (Charge, true),
            "charge_timer_delete" => (Charge, false),
            "climate_timer_set" => (Climate, true),
            "climate_timer_delete" => (Climate, false),
            _ => (null, false),
        };
        if (kind is null)
        {
            return;
        }
        var p = command.Parameters;
        var slot = int.Parse(p["timerId"], CultureInfo.InvariantCulture); // validated when the command was accepted
        if (!set)
        {
            await connection.ExecuteAsync("DELETE FROM vehicle_timers WHERE vin = @Vin AND kind = @kind AND slot = @slot",
                new { command.Vin, kind, slot }, transaction);
            return;
        }
        await connection.ExecuteAsync(
            """
            INSERT INTO vehicle_timers (vin, kind, slot, time_of_day, date, days, target_state_of_charge, confirmed_at)
            VALUES (@Vin, @kind, @slot, @time, @date, @days, @target, @at)
            ON CONFLICT (vin, kind, slot) DO UPDATE SET time_of_day = excluded.time_of_day, date = excluded.date, days = excluded.days,
                target_state_of_charge = excluded.target_state_of_charge, confirmed_at = excluded.confirmed_at
            """,
            new
            {
                command.Vin, kind, slot, time = p["time"], date = p.GetValueOrDefault("date"), days = p.GetValueOrDefault("days"),
                target = p.TryGetValue("targetStateOfCharge", out var target) ? double.Parse(target, CultureInfo.InvariantCulture) : (double?)null,
                at = (command.CompletedAt ?? command.CreatedAt).ToUnixTimeMilliseconds(),
            }, transaction);
    }

    /// <summary>A new owner starts without the previous owner's timers; a driver leaving changes nothing.</summary>
    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        if (accountId is null)
        {
            await connection.ExecuteAsync("DELETE FROM vehicle_timers WHERE vin = @vin", new { vin }, transaction);
        }
    }

    private sealed class Row
    {
        public int Slot { get; init; }
        public string Time { get; init; } = "";
        public string? Date { get; init; }
        public string? Days { get; init; }
        public double? Target { get; init; }
        public long ConfirmedAt { get; init; }
    }
}
