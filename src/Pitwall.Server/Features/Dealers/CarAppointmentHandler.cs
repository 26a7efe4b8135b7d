using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Dealers;

/// <summary>
/// A service appointment the driver asked for in the car (F1): filed with the named dealer or the owner's preferred one, once
/// per request id, the reason filled in from what is due when the driver gave none; the dealer's staff and the car's users are
/// told. Nothing is filed in private mode or with the maintenance service switched off, nor a request the rules refuse (no
/// dealer, wished times in the past or outside the dealer's hours): the car sees in the app that nothing came of it.
/// </summary>
internal sealed partial class CarAppointmentHandler(
    Appointments appointments, DealerCarData carData, Privacy.IServiceAccess access, TimeProvider time, ILogger<CarAppointmentHandler> logger)
    : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.AppointmentRequest;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            var request = message.Envelope.AppointmentRequest;
            if (!access.ForCarData(ServiceIds.Maintenance, message.Privacy).Allowed || request.RequestId.Length == 0 ||
                await AppointmentStore.CarRequestExistsAsync(connection, transaction, message.Vin, request.RequestId))
            {
                continue;
            }
            var dealerId = request.DealerId.Length > 0 ? request.DealerId : await DealerStore.PreferredAsync(connection, transaction, message.Vin);
            var dealer = dealerId is null ? null : await DealerStore.FindAsync(connection, transaction, dealerId);
            var errors = new ValidationErrors();
            var now = time.GetUtcNow();
            var slots = AppointmentRules.Slots([.. request.SlotsMs.Select(DateTimeOffset.FromUnixTimeMilliseconds)], dealer, now, errors);
            var reason = AppointmentRules.Text(request.Reason, AppointmentRules.MaxReasonLength, "reason", errors);
            if (dealer is null || errors.Any)
            {
                LogRefused(logger);
                continue;
            }
            reason ??= await carData.DueSummaryAsync(message.Vin, CancellationToken.None);
            var filed = await appointments.FileAsync(connection, transaction, message.Vin, null, AppointmentChannels.Car, request.RequestId, dealer, slots, reason, now);
            await appointments.TellCarUsersAsync(connection, transaction, filed, dealer, now);
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A car's appointment request was not filed: no such dealer, or wished times the rules refuse")]
    private static partial void LogRefused(ILogger logger);
}
