using Slipway.Server.Preflight.Checks;

namespace Slipway.Server.Preflight;

/// <summary>Runs the checks, one after another (each bounds its own network questions), and collects their findings in check order.</summary>
internal static class PreflightRunner
{
    /// <summary>Every check, in the order the output lists them.</summary>
    public static IReadOnlyList<IPreflightCheck> All { get; } =
    [
        new ManifestCheck(), new SecretsCheck(), new BackupsCheck(), new CertificatesCheck(), new AlertsCheck(), new DiskCheck(), new ClockCheck(), new DeployCheck(),
    ];

    public static Task<PreflightReport> RunAsync(PreflightContext context, CancellationToken cancel) => RunAsync(context, All, cancel);

    /// <summary>What <c>deploy</c> runs for <paramref name="context"/>'s service: the checks that concern it, its own findings only.</summary>
    public static async Task<PreflightReport> RunForDeployAsync(PreflightContext context, CancellationToken cancel)
    {
        var report = await RunAsync(context, [.. All.Where(c => c.ConcernsDeploy)], cancel).ConfigureAwait(false);
        return PreflightReport.Of([.. report.Findings.Where(f => f.Service == context.Service)]);
    }

    private static async Task<PreflightReport> RunAsync(PreflightContext context, IReadOnlyList<IPreflightCheck> checks, CancellationToken cancel)
    {
        var findings = new List<PreflightFinding>();
        foreach (var check in checks)
        {
            cancel.ThrowIfCancellationRequested();
            findings.AddRange(await check.RunAsync(context, cancel).ConfigureAwait(false));
        }

        return PreflightReport.Of(findings);
    }
}
