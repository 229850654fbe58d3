using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Slipway.Cli;
using Slipway.Testing;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Slipway.Server.Tests.Api;

/// <summary>A secret set through the CLI reaches the instance's environment and is stored nowhere in the clear.</summary>
public sealed class SecretsTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public SecretsTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task SecretsSet_ThroughCli_ReachesInstanceAndIsNeverStoredOrShownInClear()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);

        // Not set yet: the instance is blocked, and the event names the secret and the service.
        await Wait.UntilAsync(async () =>
        {
            var events = await admin.GetStringAsync("/api/v1/events?service=api");
            return events.Contains("secret-missing", StringComparison.Ordinal) && events.Contains(DaemonFixture.SecretName, StringComparison.Ordinal);
        }, "a secret-missing event");

        var value = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Task.Run(() => SlipwayCommand.Run(
            ["secrets", "set", DaemonFixture.SecretName, "--restart", "--server", _daemon.BaseAddress, "--token", _daemon.AdminToken],
            stdout, stderr, new StringReader(value + "\n")));
        Assert.True(exit == 0, $"exit {exit}: {stdout}{stderr}");

        string? seen = null;
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilAsync(async () =>
        {
            var instances = await admin.GetFromJsonAsync<JsonElement>("/api/v1/instances");
            foreach (var instance in instances.EnumerateArray().Where(i => i.GetProperty("ready").GetBoolean()))
            {
                var port = instance.GetProperty("port").GetInt32();
                using var response = await plain.GetAsync($"http://127.0.0.1:{port}/env/{DaemonFixture.SecretName}");
                seen = await response.Content.ReadAsStringAsync();
                return response.StatusCode == HttpStatusCode.OK;
            }

            return false;
        }, "a ready instance with the secret in its environment");
        Assert.Equal(value, seen);

        // Everything the API answers, and every file in the state directory (db, WAL, logs, audit, secrets).
        var answers = new StringBuilder();
        foreach (var path in new[] { "/api/v1/secrets", "/api/v1/services/api", "/api/v1/events", "/api/v1/audit", "/api/v1/logs?service=api", "/api/v1/instances", "/api/v1/tokens" })
        {
            answers.Append(await admin.GetStringAsync(path));
        }

        Assert.Contains(DaemonFixture.SecretName, answers.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, answers.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, stdout.ToString() + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(value, _daemon.Output.ToString(), StringComparison.Ordinal);
        var needle = Encoding.UTF8.GetBytes(value);
        var files = Directory.EnumerateFiles(_daemon.StateDir, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("secrets.json", StringComparison.Ordinal));
        // daemon.lock is held exclusively by the running daemon (it holds only a pid), handoff.sock is a socket; every other file is read.
        foreach (var file in files.Where(f => Path.GetFileName(f) is not ("daemon.lock" or Server.Listeners.Handover.FileName)))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                await stream.CopyToAsync(copy);
                bytes = copy.ToArray();
            }

            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{file} holds the secret value in the clear");
        }

        var mode = File.GetUnixFileMode(Path.Combine(_daemon.StateDir, "secrets.json"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_daemon.StateDir, "admin.token")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_daemon.StateDir, "master.key")));
    }

    [Fact]
    public async Task SecretsSet_ValueOver64KiB_Is400NamingTheLimitAndNothingStored()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);
        var value = new string('x', 64 * 1024 + 1);
        using var response = await admin.PutAsync("/api/v1/secrets/HUGE_VALUE",
            new StringContent(JsonSerializer.Serialize(new { value }), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("at most 64 KiB (got 65537 bytes)", detail, StringComparison.Ordinal);
        var names = await admin.GetStringAsync("/api/v1/secrets");
        Assert.DoesNotContain("HUGE_VALUE", names, StringComparison.Ordinal);
    }
}
