namespace Pitwall.Simulator;

/// <summary>Decides which signals a car has: an EV reports state of charge, a combustion car fuel level and engine state.</summary>
public enum Powertrain
{
    Electric,
    Combustion,
}
