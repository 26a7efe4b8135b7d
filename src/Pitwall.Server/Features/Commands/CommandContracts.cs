namespace Pitwall.Server.Features.Commands;

/// <param name="Parameters">Command parameters as strings, e.g. {"targetTemperature": "21.5"}.</param>
/// <param name="Challenge">For unlock: the challenge from <c>…/commands/pin-challenge</c>.</param>
/// <param name="PinProof">For unlock: base64 HMAC-SHA256(key = SHA-256(salt + "\n" + PIN), challenge).</param>
/// <param name="ExpiresInSeconds">How long the command may wait for the car (10–3600, default 120).</param>
public sealed record CreateCommandRequest(string? Type, Dictionary<string, string?>? Parameters, string? Challenge, string? PinProof, int? ExpiresInSeconds);

internal sealed record CommandResponse(
    string Id, string Vin, string Type, IReadOnlyDictionary<string, string> Parameters, string State, string? Reason,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? CompletedAt, DateTimeOffset ExpiresAt)
{
    public static CommandResponse From(CommandRecord c) =>
        new(c.Id, c.Vin, c.Type, c.Parameters, c.State, c.Reason, c.CreatedAt, c.SentAt, c.CompletedAt, c.ExpiresAt);
}

/// <param name="CurrentPassword">Required to change a PIN that is already set.</param>
internal sealed record SetPinRequest(string? Pin, string? CurrentPassword);

internal sealed record PinChallengeResponse(string Challenge, string Salt, DateTimeOffset ExpiresAt);
