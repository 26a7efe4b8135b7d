using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway.Validation;

namespace Pitwall.Server.Features.OwnersManual;

/// <summary>The gate's check of a manual lookup from the car: its three strings are ids, so each is bounded (else refused).</summary>
internal sealed class ManualLookupCheck : ICarMessageCheck
{
    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.ManualLookup;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var lookup = envelope.ManualLookup;
        return lookup.RequestId.Length > CarMessageValidator.MaxIdLength || lookup.SectionId.Length > CarMessageValidator.MaxIdLength
            || lookup.WarningCode.Length > CarMessageValidator.MaxIdLength
            ? ContentVerdict.Refuse(RefusalReasons.FieldTooLong)
            : default;
    }
}
