using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// `slipway up` with a real Alertmanager (the Debian package) as a receiver: a demo service made to fail through
/// the proxy raises an alert that arrives firing in Alertmanager, and is resolved there after the service recovers.
/// </summary>
public sealed class AlertmanagerTests : IAsyncLifetime
{
    private const string Binary = "/usr/bin/prometheus-alertmanager";
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? _alertmanager;
    private SlipwayProcess? _daemon;

    private string StateDir => _dir.Combine("state");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.StopAsync();
        }
        if (_alertmanager is { HasExited: false })
        {
            _alertmanager.Kill(entireProcessTree: true);
            await _alertmanager.WaitForExitAsync();
        }

        _alertmanager?.Dispose();
        LeftoverInstances.Kill(StateDir);
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task FailingService_AlertArrivesFiringInAlertmanager_ThenResolvesAfterRecovery()
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: apt-get install prometheus-alertmanager (./test.sh installs it)");
        var alertmanager = await StartAlertmanagerAsync();

        // Alertmanager forgets a firing alert four group intervals (80 s) after it last heard of it; the resolve
        // must arrive well before that, so seeing the alert go means Slipway said it resolved.
        var manifest = _dir.Combine("slipway.yaml");
        await File.WriteAllTextAsync(manifest, $$$"""
            app: alerting
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              web:
                run:
                  command: dotnet
                  args: ["{{{BuildOutput.DemoApp}}}"]
                routes: [ { path: / } ]
                retries: { attempts: 1 }
                health:
                  readiness: { http: /ready, period: 300ms, timeout: 300ms }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
            alerts:
              interval: 1s
              rules:
                - name: web-errors
                  expr: 'error_ratio(service="web")[3s] > 50%'
                  for: 1s
                  severity: critical
                  annotations: { summary: "{{ $labels.service }} fails {{ $value }} of requests" }
              receivers:
                am: { alertmanager: "{{{alertmanager}}}" }
              routes:
                - { receiver: am, groupWait: 0s, groupInterval: 20s }
            """);
        _daemon = new SlipwayProcess(_dir.Path, "up", manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        await Wait.UntilAsync(() => _daemon.Output.Contains(" ready ", StringComparison.Ordinal), "the web instance to be ready");
        var proxy = Address(_daemon.Output, "slipway: proxy listening on ");
        var api = Address(_daemon.Output, "slipway: control API on ").Replace("[::]", "127.0.0.1", StringComparison.Ordinal);

        JsonElement? firing = null;
        await Wait.UntilAsync(async () =>
        {
            await TrafficAsync(proxy, "/status/500");
            firing = (await AlertsAsync(alertmanager)).Where(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "web-errors").Select(a => (JsonElement?)a).FirstOrDefault();
            return firing is not null;
        }, "the alert in Alertmanager");

        var alert = firing!.Value;
        Assert.Equal("active", alert.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal("web", alert.GetProperty("labels").GetProperty("service").GetString());
        Assert.Equal("critical", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.StartsWith("web fails ", alert.GetProperty("annotations").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{api}/api/v1/alerts", alert.GetProperty("generatorURL").GetString());

        // The same alert through Slipway's own API and CLI, the failures kept up (the window is 3 s; a CLI start on a busy machine can take longer).
        var token = (await File.ReadAllTextAsync(Path.Combine(StateDir, "admin.token"))).Trim();
        var listed = "";
        await Wait.UntilAsync(async () =>
        {
            var failing = TrafficAsync(proxy, "/status/500");
            listed = await CliAsync("alerts", "--server", api, "--token", token);
            await failing;
            // Under load a call can land while the alert is pending again or just resolved: wait for the firing line.
            return listed.Split('\n').Any(line => line.Contains("web-errors", StringComparison.Ordinal) && line.Contains("firing", StringComparison.Ordinal));
        }, "`slipway alerts` to list the alert as firing", detail: () => listed);

        await Wait.UntilAsync(async () =>
        {
            await TrafficAsync(proxy, "/");
            return !(await AlertsAsync(alertmanager)).Any(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "web-errors");
        }, "the alert to resolve in Alertmanager", seconds: 50);
        Assert.Contains("alert-resolved", _daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silence_CreatedListedAndRemovedThroughTheCli()
    {
        var manifest = _dir.Combine("slipway.yaml");
        await File.WriteAllTextAsync(manifest, """
            app: silences
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              legacy: { upstream: ["127.0.0.1:9"] }
            alerts:
              rules: [ instance-down ]
              receivers: { hook: { webhook: "http://127.0.0.1:9/hook" } }
            """);
        _daemon = new SlipwayProcess(_dir.Path, "up", manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        await Wait.UntilAsync(() => _daemon.Output.Contains("slipway: control API on ", StringComparison.Ordinal), "the control API");
        var api = Address(_daemon.Output, "slipway: control API on ").Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        var token = (await File.ReadAllTextAsync(Path.Combine(StateDir, "admin.token"))).Trim();

        var created = await CliAsync("silence", "--match", "service=legacy", "--match", "severity!=info", "--for", "2h", "--comment", "moving racks", "--server", api, "--token", token);
        var id = created.Split(' ')[1];
        var list = await CliAsync("silence", "list", "--server", api, "--token", token);
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("service=\"legacy\",severity!=\"info\"", list, StringComparison.Ordinal);
        Assert.Contains("moving racks", list, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(StateDir, "silences.json")));

        Assert.Contains($"silence {id} ended", await CliAsync("silence", "rm", id, "--server", api, "--token", token), StringComparison.Ordinal);
        Assert.DoesNotContain(id, await CliAsync("silence", "list", "--server", api, "--token", token), StringComparison.Ordinal);
    }

    private async Task<string> StartAlertmanagerAsync()
    {
        var port = FreePort.Next();
        var config = _dir.Combine("alertmanager.yml");
        await File.WriteAllTextAsync(config, """
            route: { receiver: blackhole, group_wait: 1s }
            receivers: [ { name: blackhole } ]
            """);
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
        await Wait.UntilAsync(async () =>
        {
            try
            {
                using var response = await _http.GetAsync(new Uri($"{url}/-/ready"));
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "Alertmanager to be ready");
        return url;
    }

    private async Task<List<JsonElement>> AlertsAsync(string alertmanager) =>
        [.. (await _http.GetFromJsonAsync<JsonElement>(new Uri($"{alertmanager}/api/v2/alerts"))).EnumerateArray()];

    private async Task TrafficAsync(string proxy, string path)
    {
        for (var i = 0; i < 30; i++)
        {
            using var response = await _http.GetAsync(new Uri(proxy + path));
        }
    }

    private async Task<string> CliAsync(params string[] args)
    {
        using var cli = new SlipwayProcess(_dir.Path, args);
        var exit = await cli.WaitForExitAsync();
        Assert.True(exit == 0, $"slipway {string.Join(' ', args)} exited {exit}: {cli.Output}{cli.Error}");
        return cli.Output;
    }

    private static string Address(string output, string prefix)
    {
        var line = output.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..].Split(';')[0].Trim().TrimEnd('/');
    }
}
