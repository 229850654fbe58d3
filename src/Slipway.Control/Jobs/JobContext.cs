using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Control.Secrets;
using Slipway.Control.State;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Processes;

namespace Slipway.Control.Jobs;

/// <summary>What job runs share; built once by the daemon.</summary>
/// <param name="SharedEnvironment">What every child of the app gets (<c>SLIPWAY_&lt;SERVICE&gt;_URL</c>), read at each start.</param>
/// <param name="CurrentRevision">A service's current revision: its version and the spec its instances run, for a job with <c>service:</c>.</param>
internal sealed record JobContext(
    LiveManifest Manifest,
    StateStore Store,
    EventJournal Journal,
    TimeProvider Time,
    ProcessRunner Runner,
    ISecretSource? Secrets,
    Func<IReadOnlyDictionary<string, string>> SharedEnvironment,
    Func<string, (string Version, ServiceSpec Spec)?> CurrentRevision,
    string ManifestDirectory,
    string StateDirectory)
{
    /// <summary>Lines of a run's output kept in its history (and shown by <c>slipway job history</c>).</summary>
    public int TailLines { get; init; } = 40;
}
