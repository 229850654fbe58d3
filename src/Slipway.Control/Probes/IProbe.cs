using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Probes;

/// <summary>A kind of check (http, tcp, exec). One instance per kind, shared: it holds no per-target state.</summary>
internal interface IProbe
{
    string Name { get; }

    bool Handles(ProbeSpec spec);

    /// <summary>Runs one check; never throws for a failing target, only for cancellation.</summary>
    Task<ProbeResult> CheckAsync(ProbeSpec spec, ProbeTarget target, CancellationToken cancellationToken);
}
