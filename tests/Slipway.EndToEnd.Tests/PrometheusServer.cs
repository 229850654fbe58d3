using System.Diagnostics;
using System.Globalization;
using System.Text;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// A real Prometheus (the Debian package's binary) on 127.0.0.1 and a free port, its TSDB in a temp directory,
/// scraping one target every second with a bearer token from a file. Stopped by its pid: SIGTERM, then SIGKILL.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="target">host:port of the endpoint serving <c>/metrics</c>.</param>
    public static PrometheusServer Start(TempDirectory dir, string target, string token)
    {
        var binary = ExternalTool.Require("prometheus", "prometheus");
        var tokenFile = dir.Combine("prometheus.token");
        File.WriteAllText(tokenFile, token);
        var config = dir.Combine("prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: slipway
                metrics_path: /metrics
                authorization:
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = FreePort.Next();
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.Combine("tsdb"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--log.level=warn",
        })
        {
            info.ArgumentList.Add(arg);
        }

        return new PrometheusServer(Process.Start(info)!, port);
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Native.kill(_process.Id, Native.SigTerm);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                Native.kill(_process.Id, Native.SigKill);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Append(line).Append('\n');
            }
        }
    }
}
