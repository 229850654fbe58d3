using Slipway.Control.Events;
using Slipway.Proxy.Tls;
using Slipway.Proxy.Tls.Acme;

namespace Slipway.Server;

/// <summary><c>proxy.tls.acme</c>: certificates ordered and renewed while the daemon runs, each attempt an event.</summary>
internal sealed partial class SlipwayDaemon
{
    /// <summary>
    /// The renewals, each attempt an event in <paramref name="journal"/>, not started (<see cref="RunningDaemon"/> starts
    /// them once the edge accepts); null without ACME. Throws <see cref="AcmeException"/> when the stored account key
    /// cannot be read.
    /// </summary>
    private AcmeRenewals? CreateAcme(CertificateStore? served, AcmeChallenges? challenges, EventJournal journal, Teardown teardown)
    {
        if (EdgeProxy.AcmeOptionsFor(_manifest, ManifestDirectory, _options.ResolvedStateDirectory) is not { } options || served is null || challenges is null)
        {
            return null;
        }

        var renewals = teardown.AddAsync(AcmeRenewals.Create(options, served, challenges, _time, _loggers.CreateLogger("Slipway.Acme")));
        renewals.Attempted += (host, succeeded, result) =>
            journal.Record("-", null, succeeded ? EventKinds.CertificateIssued : EventKinds.CertificateFailed, $"{host}: {result}");
        return renewals;
    }
}
