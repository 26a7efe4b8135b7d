namespace Pitwall.Server.Gateway.Validation;

/// <summary>What the gate made of one car message: sane as it is, sane after dropping values, or refused.</summary>
/// <param name="Refusal">Why the message cannot be made sane (a stable code such as <c>time_out_of_range</c>), else null.</param>
/// <param name="Dropped">How many values were dropped or marked out_of_range to make it sane.</param>
public readonly record struct ContentVerdict(string? Refusal, int Dropped)
{
    public static ContentVerdict Refuse(string reason) => new(reason, 0);
}

/// <summary>The stable reasons a car message is refused; they tag the refusal metric and end the error frame's text.</summary>
public static class RefusalReasons
{
    public const string TimeOutOfRange = "time_out_of_range";
    public const string FieldTooLong = "field_too_long";
    public const string TooManyEntries = "too_many_entries";
    public const string SeqOutOfRange = "seq_out_of_range";
}
