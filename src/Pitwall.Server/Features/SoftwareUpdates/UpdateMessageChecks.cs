using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway.Validation;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The gate's check of a car's update poll: a bounded request id and software list.</summary>
internal sealed class UpdatePollCheck : ICarMessageCheck
{
    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.UpdatePoll;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var poll = envelope.UpdatePoll;
        return poll.RequestId.Length > CarMessageValidator.MaxIdLength || poll.Installed.Count > 100
            || poll.Installed.Any(s => s.Component.Length > CarMessageValidator.MaxIdLength || s.Version.Length > CarMessageValidator.MaxIdLength)
            ? ContentVerdict.Refuse(RefusalReasons.FieldTooLong)
            : default;
    }
}

/// <summary>The gate's check of a car's update feedback: bounded messages (the handler ignores execution and result values that
/// DDI does not know).</summary>
internal sealed class UpdateFeedbackCheck : ICarMessageCheck
{
    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.UpdateFeedback;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var feedback = envelope.UpdateFeedback;
        return feedback.Details.Count > 20 ? ContentVerdict.Refuse(RefusalReasons.TooManyEntries)
            : feedback.Execution.Length > CarMessageValidator.MaxIdLength || feedback.Finished.Length > CarMessageValidator.MaxIdLength
                || feedback.Details.Any(d => d.Length > 500) ? ContentVerdict.Refuse(RefusalReasons.FieldTooLong)
            : default;
    }
}
