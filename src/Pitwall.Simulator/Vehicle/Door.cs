namespace Pitwall.Simulator;

/// <summary>The four side doors, in the order of the catalogue's door signals.</summary>
public enum Door
{
    FrontLeft,
    FrontRight,
    RearLeft,
    RearRight,
}
