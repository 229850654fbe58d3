using System.Text.Json;
using Slipway.Cli;

namespace Slipway.Server.Tests.Api;

/// <summary><c>--output json</c> on the client verbs against a real daemon: the API's answer, parseable, nothing else on stdout.</summary>
public sealed class CliOutputTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public CliOutputTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task ClientVerbs_OutputJson_PrintTheAnswerAsJson()
    {
        var name = "out-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await JsonAsync("token", "create", name, "--role", "viewer"))
        {
            Assert.StartsWith("slw_", created.RootElement.GetProperty("token").GetString(), StringComparison.Ordinal);
        }

        using (var tokens = await JsonAsync("token", "list"))
        {
            Assert.Contains(tokens.RootElement.EnumerateArray(), t => t.GetProperty("name").GetString() == name);
        }

        using (var revoked = await JsonAsync("token", "revoke", name))
        {
            Assert.True(revoked.RootElement.GetProperty("revoked").GetBoolean());
        }

        using (var status = await JsonAsync("status"))
        {
            Assert.Equal("api", status.RootElement.GetProperty("services")[0].GetProperty("name").GetString());
        }

        using (var scaled = await JsonAsync("scale", "api", "1"))
        {
            Assert.Equal(1, scaled.RootElement.GetProperty("replicas").GetInt32());
        }

        using (var verify = await JsonAsync("audit", "verify"))
        {
            Assert.True(verify.RootElement.GetProperty("valid").GetBoolean());
        }

        using (var audit = await JsonAsync("audit"))
        {
            Assert.Contains(audit.RootElement.EnumerateArray(), e => e.GetProperty("route").GetString() == "/api/v1/tokens/{name}");
        }

        using (var secrets = await JsonAsync("secrets", "list"))
        {
            Assert.Equal(JsonValueKind.Array, secrets.RootElement.ValueKind);
        }
    }

    private async Task<JsonDocument> JsonAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Task.Run(() => SlipwayCommand.Run([.. args, "--output", "json", "--server", _daemon.BaseAddress, "--token", _daemon.AdminToken], stdout, stderr));
        Assert.True(exit == 0, $"{string.Join(' ', args)}: exit {exit}: {stderr}");
        return JsonDocument.Parse(stdout.ToString());
    }
}
