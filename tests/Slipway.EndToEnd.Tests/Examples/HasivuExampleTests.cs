using System.Net;
using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests.Examples;

/// <summary>
/// examples/hasivu from nothing: the PWA (a static site) and the API behind the WAF and the admin allow-list, an
/// encrypted base backup taken before the canary and WAL streaming beside it, a canary whose every answer is a 200 but
/// whose payments fail, rolled back by the payment-failure analysis under load with no failed request, and the PWA's
/// blue-green deploy under page load with no failed request; then a clean stop.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class HasivuExampleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Up_Hasivu_CanaryFailingPaymentsRolledBackByItsAnalysisWithNoFailedRequest()
    {
        var demo = BuildOutput.DemoApp;
        await using var example = new ExampleDaemon("hasivu",
            new Dictionary<string, string> { ["DB_PASSWORD"] = "hasivu-e2e-password", ["BACKUP_KEY"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
            // Versions named payfail* count half their payments as failed while answering 200 (the example's api is
            // the demo app as it is; only this test wraps it).
            ("env: { DEMO_VERSION: \"${VERSION}\", NODE_ENV: production, PAYMENT_PROVIDER: razorpay }",
             $"command: sh\n      args: [\"-c\", \"case $DEMO_VERSION in payfail*) export DEMO_PAYMENT_FAIL_RATE=0.5;; esac; exec dotnet {demo}\"]\n"
             + "      env: { DEMO_VERSION: \"${VERSION}\", NODE_ENV: production, PAYMENT_PROVIDER: razorpay }"),
            // Minutes of watching are seconds here.
            ("interval: 15s", "interval: 1s"), ("metrics: { path: /metrics, interval: 5s }", "metrics: { path: /metrics, interval: 1s }"),
            ("pause: 5m", "pause: 60s"), ("scaleDownDelay: 10m", "scaleDownDelay: 2s"), ("\"demo_payments_total\")[1m]', max: 0.05", "\"demo_payments_total\")[10s]', max: 0.05"));
        await example.StartAsync();
        await example.UntilReadyAsync(new Dictionary<string, int> { ["db"] = 1, ["cache"] = 1, ["api"] = 6 }, seconds: 180);

        using var client = example.Client();
        await StaticFrontEnd.AssertServedAsync(example, client, "/menu/today", "HASIVU v1");
        using (var manifest = await example.UntilOkAsync(client, "/manifest.json"))
        {
            Assert.StartsWith("application/json", manifest.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }

        using (var menus = await example.UntilOkAsync(client, "/api/menus"))
        {
            Assert.StartsWith("api-", menus.Headers.GetValues("X-Demo-Instance").Single(), StringComparison.Ordinal);
        }

        using (var xss = await client.GetAsync("/api/menus?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, xss.StatusCode);
        }

        // The admin paths: the office network (loopback here) gets in, a client from outside does not.
        using (var outsider = new HttpRequestMessage(HttpMethod.Get, "/api/admin/schools"))
        {
            outsider.Headers.Add("X-Forwarded-For", "203.0.113.9");
            using var refused = await client.SendAsync(outsider);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var office = await example.UntilOkAsync(client, "/api/admin/schools"))
        {
            Assert.StartsWith("api-", office.Headers.GetValues("X-Demo-Instance").Single(), StringComparison.Ordinal);
        }

        var load = new LoadGenerator(new Uri(example.Edge, "/api/"), posts: false, manyClients: true);
        int exit;
        string deploy;
        await using (load)
        {
            (exit, deploy) = await example.CliAsync("deploy", "api", "--version", "payfail", "--wait", "--reason", "e2e");
        }

        output.WriteLine(load.Report());
        Assert.True(exit == 1, $"deploy payfail exited {exit}:\n{deploy}");
        Assert.Contains("rolled-back", deploy, StringComparison.Ordinal);
        var rolledBack = Assert.Single(example.Events("api"), e => e.Kind == "rollout-rolled-back");
        Assert.Contains("failed-payments", rolledBack.Message, StringComparison.Ordinal);
        Assert.True(load.Failures == 0, load.Report());
        Assert.True(load.FirstSeen.ContainsKey("payfail"), "the canary took traffic");

        // backupFirst took an encrypted base backup before the canary started; WAL streams beside it (RPO < 5 min).
        Assert.Single(example.Events("hasivu-db"), e => e.Kind == "backup-succeeded");
        var destination = example.BackupDirectory;
        Assert.Contains(Directory.EnumerateFiles(destination), f => f.EndsWith(".base.tar.gz.enc", StringComparison.Ordinal));
        var wal = Path.Combine(destination, "wal", "hasivu-db");
        await example.Daemon.UntilAsync(() => Directory.Exists(wal) && Directory.EnumerateFiles(wal).Any(), "WAL in the archive"); // the receiver makes the folder when it starts

        await StaticFrontEnd.DeployUnderLoadAsync(example, output, "pwa", "2");

        await example.StopCleanAsync();
    }
}
