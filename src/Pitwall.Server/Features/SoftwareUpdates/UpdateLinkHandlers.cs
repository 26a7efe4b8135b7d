using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Protocol.Updates;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// Software updates over the vehicle link (F3), for Pitwall's own cars: the car polls (at every start and periodically), the
/// cloud answers with an <see cref="UpdateOffer"/> for the car's own target (controller id = VIN, created on its first poll),
/// and the car's <see cref="UpdateFeedback"/> moves the action as DDI feedback does. In private mode nothing is stored or
/// answered; without Connect Care or with the service (or its group) switched off nothing is stored and the offer says why.
/// </summary>
internal sealed partial class UpdatePollHandler(
    IEntitlements entitlements, IServiceAccess switches, ActionStore actions, TargetStore targets, DdiDeployments deployments, PreferenceStore preferences,
    IVehicleLink link, Signing.DirectorMetadata director, ManifestStore manifests,
    IOptions<SoftwareUpdateOptions> options, TimeProvider time, ILogger<UpdatePollHandler> logger) : IVehicleMessageHandler
{
    private static readonly TimeSpan AnswerLifetime = TimeSpan.FromMinutes(10);

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.UpdatePoll;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            if (await UpdateLink.RefusalAsync(message, switches, entitlements) is null)
            {
                await TargetStore.CarPolledAsync(connection, transaction, message.Vin, message.ReceivedAt);
                if (message.Envelope.UpdatePoll.Manifest is { Length: > 0 } manifest)
                {
                    await ManifestStore.ReceiveAsync(connection, transaction, message.Vin, message.Vin, manifest, message.ReceivedAt);
                }
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
                var offer = new UpdateOffer { RequestId = message.Envelope.UpdatePoll.RequestId };
                if (await UpdateLink.RefusalAsync(message, switches, entitlements) is { } refusal)
                {
                    offer.Unavailable = refusal;
                }
                else
                {
                    var manifest = await manifests.FindAsync(message.Vin, CancellationToken.None);
                    if (message.Envelope.UpdatePoll.Manifest.Length > 0 && manifest?.RefusedAt == DateTimeOffset.FromUnixTimeMilliseconds(message.ReceivedAt.ToUnixTimeMilliseconds()))
                    {
                        offer.ManifestRefusal = manifest.LastRefusal ?? "";
                    }
                    if ((await actions.CurrentAsync(message.Vin, CancellationToken.None)).Open is { } open)
                    {
                        await DescribeAsync(offer, open, message.Vin, message.Envelope.UpdatePoll, manifest);
                    }
                }
                await link.SendAsync(message.Vin, new Envelope { UpdateOffer = offer }, time.GetUtcNow() + AnswerLifetime, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogAnswerFailed(logger, e, LogRef.Vehicle(message.Vin)); // the car polls again
            }
        }
    }

    private async Task DescribeAsync(UpdateOffer offer, UpdateAction open, string vin, UpdatePoll poll, StoredManifest? manifest)
    {
        offer.ActionId = (ulong)open.Id;
        if (open.Status == ActionStatuses.Canceling)
        {
            offer.Cancel = true;
            return;
        }
        if (open.Status == ActionStatuses.Pending)
        {
            await actions.RecordAsync(open, ActionStatuses.Retrieved, "retrieved", "none", null, [], time.GetUtcNow(), CancellationToken.None);
        }
        var self = $"/{options.Value.Tenant}/controller/v1/{vin}";
        var deployment = await deployments.DescribeAsync(open, self, 0, CancellationToken.None);
        if (manifest is { Installed.Count: > 0 } && ManifestDecisions.Decide(manifest.Installed, deployment.Deployment.Chunks) is { } decided)
        {
            // The director goes by what the car signed it runs: nothing to install, or an image that would roll a component back.
            await actions.RecordAsync(open, Feedback.OnDeployment("closed", decided.Finished), "closed", decided.Finished, null, [decided.Detail],
                time.GetUtcNow(), CancellationToken.None);
            offer.ActionId = 0;
            return;
        }
        var set = await deployments.SetAsync(open.SetId, CancellationToken.None);
        offer.ReleaseName = set?.Name ?? "";
        offer.ReleaseVersion = set?.Version ?? "";
        offer.UpdateKind = set?.UpdateKind ?? "";
        offer.Forced = open.Type == ActionTypes.Forced;
        offer.MaintenanceWindow = deployment.Deployment.MaintenanceWindow ?? "";
        var choice = (await preferences.ChoicesAsync(vin, CancellationToken.None)).TryGetValue(open.Id, out var c) ? c : default;
        var preference = (await preferences.PreferencesAsync(vin, CancellationToken.None)).GetValueOrDefault(offer.UpdateKind, OwnerChoices.Ask);
        offer.OwnerDecision = OwnerChoices.ForOffer(offer.Forced, choice.Choice, choice.Until, preference, time.GetUtcNow());
        foreach (var chunk in deployment.Deployment.Chunks)
        {
            offer.Files.AddRange(chunk.Artifacts.Select(a => new UpdateFile
            {
                Component = chunk.Name, Version = chunk.Version, Filename = a.Filename, Size = (ulong)a.Size, Sha256 = a.Hashes.Sha256,
                Path = a.Links["download"].Href,
            }));
        }
        IReadOnlyList<string> hardware = set?.HardwareVariant is { } variant ? [variant] : [];
        offer.Metadata = director.Sign(vin, [.. offer.Files.Select(f => new SignedTarget(f.Component, f.Filename, (long)f.Size, f.Sha256, f.Version, hardware))],
            (int)poll.TrustedRootVersion, (int)poll.TrustedImageRootVersion)?.ToJson() ?? "";
        // A fresh token per offer for the downloads over HTTP: the link is authenticated, the token only reaches this car.
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await targets.SetTokenAsync(vin, Hashing.Sha256Hex(token), CancellationToken.None);
        offer.DownloadToken = token;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering the update poll of car {Car} failed")]
    private static partial void LogAnswerFailed(ILogger logger, Exception exception, string car);
}

/// <summary>The car's progress and result on an offered update, recorded in the ingest batch as DDI feedback is.</summary>
internal sealed class UpdateFeedbackHandler(IEntitlements entitlements, IServiceAccess switches) : IVehicleMessageHandler
{
    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.UpdateFeedback;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        foreach (var message in messages)
        {
            var feedback = message.Envelope.UpdateFeedback;
            var finished = feedback.Finished.Length == 0 ? "none" : feedback.Finished;
            if (await UpdateLink.RefusalAsync(message, switches, entitlements) is not null
                || !Feedback.Executions.Contains(feedback.Execution) || !Feedback.Results.Contains(finished)
                || await ActionStore.FindAsync(connection, transaction, (long)feedback.ActionId) is not { Active: true } action || action.ControllerId != message.Vin
                || (feedback.Cancel && action.Status != ActionStatuses.Canceling))
            {
                continue; // a resend of what is closed, or what the car may not send now: nothing to record
            }
            var status = feedback.Cancel ? Feedback.OnCancel(feedback.Execution, finished) : Feedback.OnDeployment(feedback.Execution, finished);
            var progress = feedback.ProgressOf > 0 || feedback.ProgressCount > 0 ? $"{feedback.ProgressCount}/{feedback.ProgressOf}" : null;
            await ActionStore.RecordAsync(connection, transaction, action, status, feedback.Execution, finished, progress, [.. feedback.Details], message.ReceivedAt);
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
    }
}

internal static class UpdateLink
{
    /// <summary>Why the car's update message is not served: <c>service_disabled</c> (private mode, the service or its group
    /// switched off) or <c>not_entitled</c> (no Connect Care); null when it is.</summary>
    public static async Task<string?> RefusalAsync(InboundMessage message, IServiceAccess switches, IEntitlements entitlements) =>
        !switches.ForCarData(ServiceIds.SoftwareUpdate, message.Privacy).Allowed ? "service_disabled"
        : !await entitlements.IsEntitledAsync(message.Vin, ServiceIds.SoftwareUpdate, CancellationToken.None) ? "not_entitled"
        : null;
}
