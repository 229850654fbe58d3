using System.Diagnostics;
using Slipway.Server.Preflight;
using Slipway.Server.Preflight.Checks;
using Slipway.Testing;

namespace Slipway.Server.Tests.Preflight;

/// <summary>A real prometheus-alertmanager up, and the same receiver pointed at a port where nothing listens.</summary>
public sealed class AlertsCheckTests : IAsyncLifetime
{
    private const string Binary = "/usr/bin/prometheus-alertmanager";
    private readonly TempDirectory _dir = new();
    private Process? _alertmanager;

    [Fact]
    public async Task RunAsync_AlertmanagerDown_FailsSayingItDoesNotAnswer()
    {
        var down = $"http://127.0.0.1:{FreePort.Next()}";
        var context = PreflightSetup.Context(_dir, Manifest(down), TimeProvider.System);

        var finding = (await PreflightSetup.RunAsync(new AlertsCheck(), context)).Single(f => f.Subject == "alerts.receivers.am.alertmanager");

        Assert.Equal(PreflightStatus.Fail, finding.Status);
        Assert.StartsWith($"{down}/ does not answer: ", finding.Evidence, StringComparison.Ordinal);
        Assert.Contains("start Alertmanager", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AlertmanagerUp_OkWithItsVersionAndNoAlertSent()
    {
        var up = await StartAlertmanagerAsync();
        var context = PreflightSetup.Context(_dir, Manifest(up), TimeProvider.System);

        var findings = await PreflightSetup.RunAsync(new AlertsCheck(), context);

        var am = findings.Single(f => f.Subject == "alerts.receivers.am.alertmanager");
        Assert.True(am.Status == PreflightStatus.Ok, am.Evidence);
        Assert.Matches(@"is ready \(Alertmanager \d+\.\d+", am.Evidence);
        using var http = new HttpClient();
        Assert.Equal("[]", (await http.GetStringAsync(new Uri($"{up}/api/v2/alerts"))).Trim());

        // A Slack URL whose host resolves is as far as a check can go without posting a message.
        Assert.Equal(PreflightStatus.Ok, findings.Single(f => f.Subject == "alerts.receivers.chat.slack").Status);

        // high-error-rate is on; the other built-ins that page are not.
        var rules = findings.Single(f => f.Subject == "alerts.rules");
        Assert.Equal((PreflightStatus.Warn, "add backup-failed, crash-looping, instance-down to alerts.rules"), (rules.Status, rules.Fix));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_alertmanager is { HasExited: false })
        {
            _alertmanager.Kill(entireProcessTree: true);
            await _alertmanager.WaitForExitAsync();
        }

        _alertmanager?.Dispose();
        _dir.Dispose();
    }

    private static string Manifest(string alertmanager) => $$"""
        app: shop
        services:
          web: { upstream: ["127.0.0.1:9"] }
        backups:
          main-db: { postgres: "postgresql://shop@127.0.0.1:5432/shop", destination: backups }
        alerts:
          rules: [high-error-rate]
          receivers:
            am: { alertmanager: "{{alertmanager}}" }
            chat: { slack: "http://localhost/services/T0/B0/x" }
        """;

    private async Task<string> StartAlertmanagerAsync()
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: apt-get install prometheus-alertmanager (./test.sh installs it)");
        var port = FreePort.Next();
        var config = _dir.Combine("alertmanager.yml");
        await File.WriteAllTextAsync(config, "route: { receiver: blackhole }\nreceivers: [ { name: blackhole } ]\n");
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { $"--config.file={config}", $"--storage.path={_dir.Combine("am-data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=" })
        {
            info.ArgumentList.Add(arg);
        }

        _alertmanager = Process.Start(info)!;
        _alertmanager.OutputDataReceived += (_, _) => { };
        _alertmanager.ErrorDataReceived += (_, _) => { };
        _alertmanager.BeginOutputReadLine();
        _alertmanager.BeginErrorReadLine();
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        await Wait.UntilAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"{url}/-/ready"));
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "Alertmanager to be ready");
        return url;
    }
}
