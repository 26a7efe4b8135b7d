using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway.Validation;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>The gate's check of a car's map poll: bounded ids, at most 8 blinded tokens of at most 512 bytes, a key id of at most 32.</summary>
internal sealed class MapPollCheck : ICarMessageCheck
{
    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.MapPoll;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var poll = envelope.MapPoll;
        return poll.BlindedTokens.Count > 8 ? ContentVerdict.Refuse(RefusalReasons.TooManyEntries)
            : poll.RequestId.Length > CarMessageValidator.MaxIdLength || poll.Region.Length > CarMessageValidator.MaxIdLength
                || poll.BlindedTokens.Any(t => t.Length > 512) || poll.TokenKeyId.Length > 32 ? ContentVerdict.Refuse(RefusalReasons.FieldTooLong)
            : default;
    }
}

/// <summary>The gate's check of a car's map update result: a bounded region and detail.</summary>
internal sealed class MapUpdateResultCheck : ICarMessageCheck
{
    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.MapUpdateResult;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var result = envelope.MapUpdateResult;
        return result.Region.Length > CarMessageValidator.MaxIdLength || result.Detail.Length > 200
            ? ContentVerdict.Refuse(RefusalReasons.FieldTooLong)
            : default;
    }
}
