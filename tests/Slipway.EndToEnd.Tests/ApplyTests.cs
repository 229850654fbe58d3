using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests;

/// <summary><c>slipway apply</c> and a restart with an edited manifest, through the real daemon and CLI, under load.</summary>
public sealed class ApplyTests
{
    private const string Rolling = "{ strategy: rolling, maxSurge: 1, maxUnavailable: 0 }";

    private readonly ITestOutputHelper _output;

    public ApplyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Apply_ChangedEnvAndReplicas_ShowsTheDiffThenRollsOutANewRevisionWithNoFailedRequest()
    {
        await using var daemon = new RolloutDaemon(Rolling);
        await daemon.StartAsync();
        var edited = await WriteEditedAsync(daemon, "edited.yaml", ("DEMO_VERSION: \"${VERSION}\"", "DEMO_VERSION: \"${VERSION}-applied\""), ("replicas: 2", "replicas: 3"));

        var (refused, refusal) = await daemon.CliAsync("apply", edited);
        Assert.True(refused == 1, refusal);
        Assert.Contains("~ api: deploy: new revision of version 1, rolled out rolling with 3 replicas", refusal, StringComparison.Ordinal);
        Assert.Contains("run.env.DEMO_VERSION: \"(hidden)\" → \"(hidden)\" [admin]", refusal, StringComparison.Ordinal);
        Assert.Contains("replicas: 2 → 3", refusal, StringComparison.Ordinal);
        Assert.Contains("pass --yes", refusal, StringComparison.Ordinal);
        await AllAnswersFromAsync(daemon.Proxy, "1");

        var load = new LoadGenerator(daemon.Proxy);
        await using (load)
        {
            var (exit, output) = await daemon.CliAsync("apply", edited, "--yes");
            Assert.True(exit == 0, output);
            Assert.Contains("api: revision 2 rolling out (rolling)", output, StringComparison.Ordinal);
            await daemon.UntilAsync(() => daemon.Events().Any(e => e.Kind == "rollout-promoted"), "the applied revision promoted");
            await AllAnswersFromAsync(daemon.Proxy, "1-applied");
        }

        _output.WriteLine(load.Report());
        Assert.True(load.Failures == 0, $"{load.Report()}\ndaemon events:\n{daemon.Troubles()}");
        var (_, status) = await daemon.CliAsync("status", "--output", "json");
        Assert.Contains("\"replicas\": 3", status, StringComparison.Ordinal);
        Assert.Contains("\"ready\": 3", status, StringComparison.Ordinal);

        var (again, unchanged) = await daemon.CliAsync("apply", edited);
        Assert.True(again == 0, unchanged);
        Assert.Contains("no changes", unchanged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_AtATerminal_AsksAndAppliesOnlyOnYes()
    {
        await using var daemon = new RolloutDaemon(Rolling);
        await daemon.StartAsync();
        var edited = await WriteEditedAsync(daemon, "edited.yaml", ("replicas: 2", "replicas: 3"));

        var (declined, no) = await daemon.CliAtTerminalAsync("n", "apply", edited);
        Assert.True(declined == 1, no);
        Assert.Contains("replicas: 2 → 3", no, StringComparison.Ordinal);
        Assert.Contains("Apply these changes? [y/N]", no, StringComparison.Ordinal);
        Assert.Contains("not applied", no, StringComparison.Ordinal);

        var (accepted, yes) = await daemon.CliAtTerminalAsync("y", "apply", edited);
        Assert.True(accepted == 0, yes);
        for (var poll = 0; ; poll++)
        {
            var (_, status) = await daemon.CliAsync("status", "--output", "json");
            if (status.Contains("\"ready\": 3", StringComparison.Ordinal))
            {
                break;
            }

            Assert.True(poll < 120, $"three ready instances after the yes:\n{yes}\n{status}");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task Apply_BrokenManifest_NamesTheLineAndChangesNothing()
    {
        await using var daemon = new RolloutDaemon(Rolling);
        await daemon.StartAsync();
        var broken = await WriteEditedAsync(daemon, "broken.yaml", ("replicas: 2", "replicas: many"));

        var (exit, output) = await daemon.CliAsync("apply", broken, "--yes");

        Assert.Equal(2, exit);
        Assert.Contains("broken.yaml:", output, StringComparison.Ordinal);
        Assert.Contains("replicas", output, StringComparison.Ordinal);
        Assert.DoesNotContain(daemon.Events(), e => e.Kind == "rollout-started");
    }

    [Fact]
    public async Task Up_ManifestEditedWhileStopped_InstancesRunTheEditedSpecAsANewRevision()
    {
        await using var daemon = new RolloutDaemon(Rolling);
        await daemon.StartAsync();
        await AllAnswersFromAsync(daemon.Proxy, "1");
        await daemon.StopAsync();
        await File.WriteAllTextAsync(daemon.Manifest, Edit(await File.ReadAllTextAsync(daemon.Manifest), "DEMO_VERSION: \"${VERSION}\"", "DEMO_VERSION: \"${VERSION}-edited\""));

        await daemon.StartAsync();

        await AllAnswersFromAsync(daemon.Proxy, "1-edited");
        var (_, history) = await daemon.CliAsync("history", "api");
        Assert.Contains("changed revision 1's spec while the daemon was stopped", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_ManifestEditedWhileInstancesOutlivedTheDaemon_AdoptsThemThenRollsTheEditOut()
    {
        await using var daemon = new RolloutDaemon(Rolling);
        await daemon.StartAsync();
        daemon.Daemon.Signal(Native.SigKill);
        await daemon.Daemon.WaitForExitAsync();
        await File.WriteAllTextAsync(daemon.Manifest, Edit(await File.ReadAllTextAsync(daemon.Manifest), "DEMO_VERSION: \"${VERSION}\"", "DEMO_VERSION: \"${VERSION}-edited\""));

        await daemon.StartAsync();
        await daemon.UntilAsync(() => daemon.Events().Any(e => e.Kind == "rollout-promoted"), "the edited spec rolled out");

        Assert.Contains(daemon.Events(), e => e.Kind == "adopted" && e.Instance == "api-1-0");
        await AllAnswersFromAsync(daemon.Proxy, "1-edited");
    }

    /// <summary>The daemon's manifest with <paramref name="edits"/> made, written beside it as <paramref name="name"/>.</summary>
    private static async Task<string> WriteEditedAsync(RolloutDaemon daemon, string name, params (string From, string To)[] edits)
    {
        var text = await File.ReadAllTextAsync(daemon.Manifest);
        foreach (var (from, to) in edits)
        {
            text = Edit(text, from, to);
        }

        var path = Path.Combine(Path.GetDirectoryName(daemon.Manifest)!, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static string Edit(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    private static async Task AllAnswersFromAsync(Uri proxy, string version)
    {
        using var client = new HttpClient { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Headers.GetValues("X-Demo-Version").Single());
        }
    }
}
