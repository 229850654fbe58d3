using System.Security.Cryptography;
using Slipway.Control.Secrets;
using Slipway.Server.Preflight;
using Slipway.Server.Preflight.Checks;
using Slipway.Testing;

namespace Slipway.Server.Tests.Preflight;

public sealed class SecretsCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task RunAsync_SecretMissingFromTheStore_FailsNamingTheCommandThatSetsIt()
    {
        var time = TestClock.Create();
        var store = new SecretStore(Directory.CreateDirectory(_dir.Combine("secrets")).FullName, RandomNumberGenerator.GetBytes(MasterKey.Length), time);
        store.Set("API_KEY", "k");
        var resolver = new SecretResolver(store, _ => null);
        var context = PreflightSetup.Context(_dir, """
            app: shop
            services:
              api: { run: { command: sleep, args: ["60"], secrets: [DB_PASSWORD, API_KEY] } }
            alerts:
              receivers: { oncall: { slack: "env:SLACK_HOOK" }, pager: { webhook: "secret:PAGER_URL" } }
            """, time, environment: name => name == "SLACK_HOOK" ? "https://hooks.example/1" : null, secrets: resolver.Find);

        var findings = await PreflightSetup.RunAsync(new SecretsCheck(), context);

        Assert.Equal(
            [
                ("services.api.run.secrets: DB_PASSWORD", PreflightStatus.Fail, "slipway secrets set DB_PASSWORD", "api"),
                ("services.api.run.secrets: API_KEY", PreflightStatus.Ok, null, "api"),
                ("alerts.receivers.oncall.slack: env:SLACK_HOOK", PreflightStatus.Ok, null, null),
                ("alerts.receivers.pager.webhook: secret:PAGER_URL", PreflightStatus.Fail, "slipway secrets set PAGER_URL", null),
            ],
            findings.Select(f => (f.Subject, f.Status, f.Fix, f.Service)));
        Assert.DoesNotContain(findings, f => f.Evidence.Contains("hooks.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_EnvReferenceUnset_FailsSayingTheDaemonMustBeRestarted()
    {
        var context = PreflightSetup.Context(_dir, """
            app: shop
            services:
              web: { upstream: ["127.0.0.1:9"] }
            backups:
              main-db: { postgres: "env:DATABASE_URL", destination: backups }
            """, TestClock.Create());

        var finding = Assert.Single(await PreflightSetup.RunAsync(new SecretsCheck(), context));

        Assert.Equal((PreflightStatus.Fail, "backups.main-db.postgres: env:DATABASE_URL"), (finding.Status, finding.Subject));
        Assert.Contains("restart the daemon", finding.Fix, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
