namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>What the owner chose for a kind of update, and what the offer tells the car to do.</summary>
internal static class OwnerChoices
{
    public const string Automatic = "automatic";
    public const string Ask = "ask";
    public const string Never = "never";

    public static readonly IReadOnlyList<string> Decisions = [Automatic, Ask, Never];

    public const string Accepted = "accepted";
    public const string Postponed = "postponed";

    /// <summary>Without a choice of the owner's: security fixes and maintenance install by themselves, features ask the driver.</summary>
    public static string Default(string updateKind) => updateKind == UpdateKinds.Feature ? Ask : Automatic;

    /// <summary>What the offer's <c>owner_decision</c> tells the car: install (without asking), ask (the driver), decline, or
    /// wait (postponed: nothing to do until it is offered again).</summary>
    public static string ForOffer(bool forced, string? choice, DateTimeOffset? postponedUntil, string preference, DateTimeOffset now) =>
        forced || choice == Accepted ? "install"
        : choice == Postponed && postponedUntil > now ? "wait"
        : preference switch { Automatic => "install", Never => "decline", _ => "ask" };
}
