using System.Net.Http.Headers;
using Pitwall.Protocol;
using Pitwall.Protocol.Updates;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>What the owner chose for one kind of software update (F3).</summary>
public enum UpdateDecision
{
    /// <summary>Installed without asking (by default: security fixes).</summary>
    Automatic,
    /// <summary>The driver is asked (by default: features); <see cref="SimulatedVehicleOptions.DriverAcceptsUpdates"/> answers.</summary>
    Ask,
    /// <summary>Declined.</summary>
    Never,
}

/// <summary>
/// Online software update (F3): the car polls, the cloud offers the update waiting for it, and the car — per the owner's
/// preference for that kind of update (the one the offer carries, else the car's own setting), unless the update is forced — downloads its files in the background, checks each
/// file's SHA-256, installs, "reboots" and reports the new software with <see cref="UpdateFeedback"/>.
/// </summary>
public sealed partial class SimulatedVehicle
{
    private readonly Dictionary<string, string> _installed = new(StringComparer.Ordinal);
    private string _updateRequest = "";
    private ulong _installing;
    private TimeSpan _sinceUpdatePoll;

    /// <summary>What the car runs, per component (what its hello reports).</summary>
    public IReadOnlyDictionary<string, string> InstalledSoftware => Read(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(Installed(), StringComparer.Ordinal));

    /// <summary>The last offer the car acted on, or null.</summary>
    public UpdateOffer? LastUpdateOffer { get; private set; }

    /// <summary>How many updates the car installed.</summary>
    public int UpdatesInstalled { get; private set; }

    /// <summary>Asks the cloud whether an update waits (as the car does by itself at every start and periodically, see
    /// <see cref="SimulatedVehicleOptions.PollUpdatesAtStart"/> and <see cref="SimulatedVehicleOptions.UpdatePollInterval"/>); nothing
    /// is sent when the car's switches stop the service.</summary>
    public Task PollForUpdateAsync()
    {
        Change(PollForUpdate);
        return Task.CompletedTask;
    }

    /// <summary>Under the lock.</summary>
    private void PollForUpdate()
    {
        _sinceUpdatePoll = TimeSpan.Zero;
        if (MaySend(ServiceIds.SoftwareUpdate))
        {
            _updateRequest = Guid.NewGuid().ToString("N");
            var poll = new UpdatePoll
            {
                RequestId = _updateRequest, TrustedRootVersion = (uint)RootVersion(), TrustedImageRootVersion = (uint)ImageRootVersion(),
            };
            poll.Installed.AddRange(Installed().Select(s => new SoftwareVersion { Component = s.Key, Version = s.Value }));
            if (_options.ManifestKey is { } key)
            {
                poll.Manifest = VehicleManifests.Sign(key, _options.Vin, _time.GetUtcNow(), InstalledImages());
            }
            Enqueue(new Envelope { UpdatePoll = poll }, periodic: false);
        }
    }

    /// <summary>After each physics step: the periodic poll when it is due. Under the lock.</summary>
    private void WatchUpdates(TimeSpan elapsed)
    {
        if (_options.UpdatePollInterval <= TimeSpan.Zero)
        {
            return;
        }
        _sinceUpdatePoll += elapsed;
        if (_sinceUpdatePoll >= _options.UpdatePollInterval)
        {
            PollForUpdate();
        }
    }

    private Dictionary<string, string> Installed()
    {
        if (_installed.Count == 0)
        {
            foreach (var software in _options.Software)
            {
                _installed[software.Component] = software.Version;
            }
        }
        return _installed;
    }

    /// <summary>Acts on the offer for the latest poll (earlier ones may come again after a reconnect). Under the lock.</summary>
    private void OnUpdateOffer(UpdateOffer offer)
    {
        if (offer.RequestId != _updateRequest)
        {
            return;
        }
        LastUpdateOffer = offer.Clone();
        if (offer.ActionId == 0 || !MaySend(ServiceIds.SoftwareUpdate))
        {
            return;
        }
        if (offer.Cancel)
        {
            _installing = 0;
            Feedback(offer.ActionId, "closed", "success", "cancellation acknowledged", cancel: true);
            return;
        }
        if (_installing == offer.ActionId)
        {
            return;
        }
        if (offer.OwnerDecision == "wait" || offer.MaintenanceWindow == "unavailable")
        {
            return; // postponed by a user of the car, or outside the campaign's maintenance window: it is offered again later
        }
        var decision = offer.Forced ? UpdateDecision.Automatic : offer.OwnerDecision switch
        {
            "install" => UpdateDecision.Automatic,
            "ask" => UpdateDecision.Ask,
            "decline" => UpdateDecision.Never,
            _ => _options.UpdatePreferences.GetValueOrDefault(offer.UpdateKind, UpdateDecision.Ask),
        };
        if (decision == UpdateDecision.Never)
        {
            Feedback(offer.ActionId, "rejected", "none", $"declined: the owner's preference for {offer.UpdateKind} updates");
        }
        else if (decision == UpdateDecision.Ask && !_options.DriverAcceptsUpdates)
        {
            Feedback(offer.ActionId, "scheduled", "none", "postponed by the driver");
        }
        else if (VerifyOffer(offer) is var (refusal, verified) && refusal is not null)
        {
            Refuse(offer.ActionId, refusal);
        }
        else
        {
            _installing = offer.ActionId;
            Feedback(offer.ActionId, "download", "none", $"downloading {offer.Files.Count} file(s)");
            _ = InstallAsync(offer.Clone(), verified);
        }
    }

    private async Task InstallAsync(UpdateOffer offer, VerifiedMetadata? verified)
    {
        string? failure;
        try
        {
            failure = await DownloadAndCheckAsync(offer, verified);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            failure = $"download failed: {e.GetType().Name}";
        }
        Change(() =>
        {
            if (_installing != offer.ActionId)
            {
                return; // cancelled meanwhile
            }
            _installing = 0;
            if (failure is not null && failure.StartsWith(RefusedPrefix, StringComparison.Ordinal))
            {
                Refuse(offer.ActionId, failure[RefusedPrefix.Length..]);
                return;
            }
            if (failure is not null)
            {
                Feedback(offer.ActionId, "closed", "failure", failure);
                return;
            }
            foreach (var file in offer.Files)
            {
                Installed()[file.Component] = file.Version; // installed; the car restarts into it
                _installedImages[file.Component] = (file.Sha256, (long)file.Size);
            }
            UpdatesInstalled++;
            Log($"installed {offer.ReleaseName} {offer.ReleaseVersion}");
            Feedback(offer.ActionId, "closed", "success", $"installed {offer.ReleaseName} {offer.ReleaseVersion}");
        });
    }

    /// <returns>Why the update cannot be installed, or null.</returns>
    private async Task<string?> DownloadAndCheckAsync(UpdateOffer offer, VerifiedMetadata? verified)
    {
        var http = _options.Http ?? HttpHandlers.Shared;
        foreach (var file in offer.Files)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.Server, file.Path));
            request.Headers.Authorization = new AuthenticationHeaderValue("TargetToken", offer.DownloadToken);
            using var response = await http.SendAsync(request, CancellationToken.None);
            if (!response.IsSuccessStatusCode)
            {
                return $"download of {file.Filename} failed: {(int)response.StatusCode}";
            }
            await using var body = await response.Content.ReadAsStreamAsync();
            var (length, sha256) = await MeasureAsync(body);
            if (verified is not null && ImageChecks.Image(verified.Targets[SignedTarget.PathOf(file.Component, file.Version, file.Filename)], length, sha256) is { } refusal)
            {
                return RefusedPrefix + refusal;
            }
            if (sha256 != file.Sha256)
            {
                return $"hash mismatch: {file.Filename}";
            }
        }
        return null;
    }

    /// <summary>Queues an update feedback. Under the lock.</summary>
    private void Feedback(ulong actionId, string execution, string finished, string detail, bool cancel = false) =>
        Enqueue(new Envelope
        {
            UpdateFeedback = new UpdateFeedback { ActionId = actionId, Execution = execution, Finished = finished, Cancel = cancel, Details = { detail } },
        }, periodic: false);
}
