using Slipway.Core.Manifest;
using Slipway.Server.Preflight;
using Slipway.Testing;

namespace Slipway.Server.Tests.Preflight;

/// <summary>A manifest written into a temporary directory and a preflight context over it: no NTP server, no store, unless a test gives them.</summary>
internal static class PreflightSetup
{
    public static PreflightContext Context(TempDirectory dir, string yaml, TimeProvider time, Func<string, string?>? environment = null, Func<string, string?>? secrets = null)
    {
        var path = dir.Combine("slipway.yaml");
        File.WriteAllText(path, yaml);
        var loaded = ManifestLoader.LoadFile(path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormattedErrors));
        Directory.CreateDirectory(dir.Combine("state"));
        return new PreflightContext(loaded.Manifest!, dir.Path, dir.Combine("state"), time, environment ?? (_ => null), secrets ?? (_ => null))
        {
            ManifestPath = path,
            NtpServer = null,
        };
    }

    public static async Task<IReadOnlyList<PreflightFinding>> RunAsync(IPreflightCheck check, PreflightContext context) =>
        await check.RunAsync(context, CancellationToken.None);
}
