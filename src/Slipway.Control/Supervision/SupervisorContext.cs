using Microsoft.Extensions.Logging;
using Slipway.Control.Events;
using Slipway.Control.Logs;
using Slipway.Control.Probes;
using Slipway.Control.State;
using Slipway.Core.Processes;
using Slipway.Core.Routing;

namespace Slipway.Control.Supervision;

/// <summary>What every instance controller shares. Built once by <see cref="Supervisor"/>.</summary>
internal sealed record SupervisorContext(
    SupervisorOptions Options,
    TimeProvider Time,
    ProcessRunner Runner,
    ProbeKinds Probes,
    EventJournal Journal,
    StateStore? Store,
    IEndpointLoad Load,
    LogCollector Logs,
    ILogger Logger)
{
    /// <summary>
    /// Set when the daemon hands over to a successor: a stopped slot then leaves its process running, its row active
    /// and its routing as it was, for the successor to adopt, instead of draining and stopping it.
    /// </summary>
    public bool Detaching { get; set; }
}
