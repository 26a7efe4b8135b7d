using System.Data.Common;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// Online map update over the vehicle link (F5, H3): at every start the car names its region and map version; Pitwall stores the
/// version, answers with the packages that lead to the region's newest version (one increment per version, only of that region)
/// and blind-signs one token per package with the issuer's current key (tokens blinded for a rotated key get no signature and no
/// packages, only the current key to ask again with), and documents the offer. The car fetches the packages from the map distribution with
/// the tokens, so the distribution learns nothing of the car. In private mode nothing is stored or answered; without Connect
/// Care or with the service (or its group) switched off nothing is stored and the offer says why.
/// </summary>
internal sealed partial class MapPollHandler(
    IEntitlements entitlements, IServiceAccess switches, MapCatalogue catalogue, MapUpdateStore store, MapTokenIssuer issuer, IVehicleLink link,
    IOptions<MapOptions> options, TimeProvider time, ILogger<MapPollHandler> logger) : IVehicleMessageHandler
{
    private static readonly TimeSpan AnswerLifetime = TimeSpan.FromMinutes(10);

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.MapPoll;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            var poll = message.Envelope.MapPoll;
            if (await MapLink.RefusalAsync(message, switches, entitlements) is null && MapRegions.Find(poll.Region) is not null)
            {
                await MapUpdateStore.CarPolledAsync(connection, transaction, message.Vin, poll.Region, (int)poll.Version, message.ReceivedAt);
            }
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages) => _ = AnswerAsync(messages);

    private async Task AnswerAsync(IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages.Where(m => !m.Privacy.PrivateMode))
        {
            try
            {
                var poll = message.Envelope.MapPoll;
                var offer = new MapOffer { RequestId = poll.RequestId, Region = poll.Region };
                if (await MapLink.RefusalAsync(message, switches, entitlements) is { } refusal)
                {
                    offer.Unavailable = refusal;
                }
                else if (await catalogue.ChainAsync(poll.Region, (int)poll.Version, Math.Min(poll.BlindedTokens.Count, options.Value.MaxPackagesPerOffer),
                             CancellationToken.None) is not { } chain)
                {
                    offer.Unavailable = "unknown_region";
                }
                else
                {
                    offer.LatestVersion = (uint)chain.Latest;
                    // The issuer's current key and the distribution's challenge, so that a car that does not know them yet (or knows a
                    // key rotated since) can ask with tokens for this key.
                    var key = issuer.Current;
                    offer.TokenKey = ByteString.CopyFrom(key.TokenKey);
                    offer.TokenChallenge = ByteString.CopyFrom(issuer.Challenge);
                    var staleKey = poll.TokenKeyId.Length > 0 && !poll.TokenKeyId.Span.SequenceEqual(key.KeyId);
                    if (chain.Packages.Count > 0 && !staleKey)
                    {
                        offer.Packages.AddRange(chain.Packages.Select(p => new MapPackage
                        {
                            FromVersion = (uint)p.FromVersion, ToVersion = (uint)p.ToVersion, Kind = p.Kind, Size = (ulong)p.Size, Sha256 = p.Sha256, Path = p.Path,
                        }));
                        // One token per package: signed blind, so Pitwall never sees the tokens the distribution will see.
                        offer.BlindSignatures.AddRange(MapTokenIssuer.Sign(key, poll.BlindedTokens.Take(chain.Packages.Count).Select(b => b.Memory)).Select(s => ByteString.CopyFrom(s)));
                        await store.OfferedAsync(message.Vin, poll.Region, (int)poll.Version, chain.Packages[^1].ToVersion, chain.Packages.Count,
                            chain.Packages.Sum(p => p.Size), CancellationToken.None);
                    }
                }
                await link.SendAsync(message.Vin, new Envelope { MapOffer = offer }, time.GetUtcNow() + AnswerLifetime, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogAnswerFailed(logger, e, LogRef.Vehicle(message.Vin)); // the car asks again at its next start
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering the map poll of car {Car} failed")]
    private static partial void LogAnswerFailed(ILogger logger, Exception exception, string car);
}

/// <summary>What the car made of an offer, documented per car in the ingest batch.</summary>
internal sealed class MapUpdateResultHandler(IEntitlements entitlements, IServiceAccess switches) : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.MapUpdateResult;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            var result = message.Envelope.MapUpdateResult;
            if (await MapLink.RefusalAsync(message, switches, entitlements) is null && MapRegions.Find(result.Region) is not null)
            {
                await MapUpdateStore.CarReportedAsync(connection, transaction, message.Vin, result.Region, (int)result.FromVersion, (int)result.ToVersion,
                    result.Success, result.Detail, message.ReceivedAt);
            }
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
    }
}

internal static class MapLink
{
    /// <summary>Why the car's map message is not served: <c>service_disabled</c> (private mode, the service or its group switched off)
    /// or <c>not_entitled</c> (no Connect Care); null when it is.</summary>
    public static async Task<string?> RefusalAsync(InboundMessage message, IServiceAccess switches, IEntitlements entitlements) =>
        !switches.ForCarData(ServiceIds.MapUpdate, message.Privacy).Allowed ? "service_disabled"
        : !await entitlements.IsEntitledAsync(message.Vin, ServiceIds.MapUpdate, CancellationToken.None) ? "not_entitled"
        : null;
}
