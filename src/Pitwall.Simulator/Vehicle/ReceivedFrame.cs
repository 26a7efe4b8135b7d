using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>A frame the car received, published after the car handled it (so an answer is already queued).</summary>
/// <param name="Duplicate">A resent server frame the car had processed before: acked again, not processed again.</param>
public sealed record ReceivedFrame(Envelope Envelope, bool Duplicate);
