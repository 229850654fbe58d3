using Slipway.Control.State;
using Slipway.Core.Manifest.Model;

namespace Slipway.Server.Preflight;

/// <summary>What the checks read: the running manifest and where it lives, the state, the environment and secrets as the daemon sees them.</summary>
/// <param name="Secrets">A secret's value as the daemon resolves it (<c>SecretResolver.Find</c>), null when unset.</param>
internal sealed record PreflightContext(
    AppManifest Manifest,
    string ManifestDirectory,
    string StateDirectory,
    TimeProvider Time,
    Func<string, string?> Environment,
    Func<string, string?> Secrets)
{
    /// <summary>The manifest file, validated again as it is on disk now (it may have changed since the daemon read it).</summary>
    public string? ManifestPath { get; init; }

    /// <summary>Only this service's findings (and the app-wide ones); every service when null.</summary>
    public string? Service { get; init; }

    /// <summary>Events (backup outcomes, drills) and revisions (the rollback path); none outside a daemon.</summary>
    public StateStore? Store { get; init; }

    /// <summary>How many instances of a service are ready now; null outside a daemon.</summary>
    public Func<string, int>? ReadyInstances { get; init; }

    /// <summary>Asks Alertmanager; each call is bounded by <see cref="Timeout"/>.</summary>
    public HttpClient Http { get; init; } = SharedHttp;

    /// <summary>The NTP server clock sync asks (<c>host</c> or <c>host:port</c>); null skips the check, saying so.</summary>
    public string? NtpServer { get; init; } = "pool.ntp.org";

    /// <summary>How long any one network question may take: preflight answers in seconds even when everything is down.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Whether a finding about <paramref name="service"/> belongs in this run.</summary>
    public bool Includes(string service) => Service is null || Service == service;

    /// <summary>The services this run looks at, in name order.</summary>
    public IEnumerable<KeyValuePair<string, ServiceSpec>> Services() =>
        Manifest.Services.Where(s => Includes(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal);

    /// <summary>A token that ends after <see cref="Timeout"/> on this context's clock: every network question is bounded by it.</summary>
    public CancellationTokenSource Bounded() => new(Timeout, Time);

    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
}
