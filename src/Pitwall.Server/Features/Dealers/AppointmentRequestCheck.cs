using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway.Validation;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The gate's check of an appointment request from the car (F1): ids and the reason bounded, at most a few wished
/// times (whether they are possible is the appointment rules' business, which refuse them without filing anything).</summary>
internal sealed class AppointmentRequestCheck : ICarMessageCheck
{
    public const int MaxIdLength = 64;
    public const int MaxReasonLength = 256;
    public const int MaxSlots = 16;

    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.AppointmentRequest;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var request = envelope.AppointmentRequest;
        return request.RequestId.Length > MaxIdLength || request.DealerId.Length > MaxIdLength || request.Reason.Length > MaxReasonLength
            ? ContentVerdict.Refuse(RefusalReasons.FieldTooLong)
            : request.SlotsMs.Count > MaxSlots ? ContentVerdict.Refuse(RefusalReasons.TooManyEntries)
            : default;
    }
}
