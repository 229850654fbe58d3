using System.Globalization;
using System.Text;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests.Docs;

/// <summary>
/// Every `slipway` command README.md and docs/operations.md show, typed as a reader would, so the documents cannot drift
/// from the command line again (`logs … --file` once exited 2). Each is checked twice: with every optional part it shows
/// (and `--help`, so nothing runs: an option the CLI does not know is exit 2), and as written without its optional
/// parts against a live daemon running the shop from a copy, expecting success unless <see cref="ExpectedFailure"/> says why not.
/// </summary>
public sealed class DocsCommandsTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private SlipwayProcess? _daemon;

    private static IReadOnlyList<DocCommand> Commands { get; } =
    [
        .. DocCommands.Read(RepositoryRoot.File("README.md"), "README.md"),
        .. DocCommands.Read(RepositoryRoot.File("docs", "operations.md"), "docs/operations.md"),
    ];

    private string ManifestDirectory => Path.Combine(_root.Path, "examples", "shop");

    [Fact]
    public void Read_TheDocuments_FindTheirCommands()
    {
        Assert.Contains(Commands, c => c.Source == "README.md" && c.Verb == "up");
        Assert.Contains(Commands, c => c.Source == "README.md" && c.Verb == "logs");
        Assert.Contains(Commands, c => c.Text == "slipway resume api");
        Assert.Contains(Commands, c => c.Input is not null && c.Verb == "secrets");
        Assert.True(Commands.Count > 40, $"only {Commands.Count} commands found");
    }

    [Fact]
    public async Task EveryCommand_WithEveryOptionShown_IsAcceptedByTheCommandLine()
    {
        var refused = new StringBuilder();
        foreach (var command in Commands)
        {
            using var cli = new SlipwayProcess(_root.Path, [.. command.Full, "--help"]);
            if (await cli.WaitForExitAsync(120) != 0)
            {
                refused.AppendLine(CultureInfo.InvariantCulture, $"{command}\n  slipway {string.Join(' ', command.Full)} --help\n  {cli.Error.Trim()}");
            }
        }

        Assert.True(refused.Length == 0, "documented command lines the CLI refuses:\n" + refused);
    }

    [Fact]
    public async Task EveryCommand_AsWritten_RunsAgainstTheShop()
    {
        CopyShop();
        var up = Commands.First(c => c.Source == "README.md" && c.Verb == "up");
        var daemon = _daemon = new SlipwayProcess(_root.Path, [.. up.Minimal, "--api", "127.0.0.1:0"]);
        await daemon.UntilAsync(() => Count(daemon.Output, " ready ") >= 6, "the shop's web, api and cache instances ready", 240);

        var wrong = new StringBuilder();
        foreach (var command in Commands.Where(c => c.Verb is not ("up" or "serve")))
        {
            // A line that names examples/shop/slipway.yaml is typed at the repository's root; the others in a project
            // whose slipway.yaml is in the current directory.
            var directory = command.Text.Contains("examples/shop/", StringComparison.Ordinal) ? _root.Path : ManifestDirectory;
            // The doc's [--detach]: the lines after it act on the rollout in progress instead of waiting out its pauses.
            // The doc's [--wait]: a rollback to a revision that is no longer warm starts it afresh and answers at once;
            // without waiting, the next lines (`apply`) would meet that rollout still running (409) or the old version.
            string[] args = command.Verb switch
            {
                "deploy" => [.. command.Minimal, "--detach"],
                "rollback" => [.. command.Minimal, "--wait"],
                _ => [.. command.Minimal],
            };
            using var cli = new SlipwayProcess(directory, args);
            cli.Input(command.Input ?? "");
            var exit = await cli.WaitForExitAsync(300);
            var expected = ExpectedFailure(command);
            var asExpected = exit == 0 ? expected is null || expected.OrSuccess
                : expected is not null && exit == expected.Exit && (cli.Error + cli.Output).Contains(expected.Says, StringComparison.Ordinal);
            if (!asExpected)
            {
                wrong.AppendLine(CultureInfo.InvariantCulture, $"{command}\n  slipway {string.Join(' ', args)} (in {Path.GetRelativePath(_root.Path, directory)}): exit {exit}, expected {expected?.ToString() ?? "0"}\n  {cli.Output.Trim().Replace("\n", "\n  ", StringComparison.Ordinal)}\n  {cli.Error.Trim()}");
            }
            else if (exit == 0 && command.Minimal is ["promote", var service])
            {
                // A promote acts at the rollout's next step; a reader sees it done before typing the next line
                // (`rollback` just after needs the promoted revision to go back from).
                await daemon.UntilAsync(() => daemon.Output.Contains(" rollout-promoted ", StringComparison.Ordinal), $"{service}'s rollout promoted", 120);
            }
        }

        Assert.True(wrong.Length == 0, "documented commands that do not do what they say:\n" + wrong + "\ndaemon:\n" + daemon.Output + daemon.Error);
        daemon.Signal(Native.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync(120));
    }

    /// <summary>What a command that cannot succeed here must say instead, and why it cannot.</summary>
    private static Failure? ExpectedFailure(DocCommand command) => command.Minimal switch
    {
        // Listing and showing read the backup catalog only (no database): the shop's is empty, and the doc's id an example.
        ["backup", "list", ..] => null,
        ["backup", "show", _, ..] => new(1, "there is no backup main-db-20260105T020000Z"),

        // The shop's main-db is env:DATABASE_URL, a PostgreSQL the example does not run (its manifest says so);
        // the Backups tests run these verbs against a real one.
        ["backup" or "restore" or "drill", ..] => new(1, "env:DATABASE_URL is not set"),

        // "prompts, without echo": only at a terminal; with nothing piped in it refuses.
        ["secrets", "set", _] when command.Input is null => new(2, "no value given (pipe it in, or type it at the prompt)"),

        // `promote api` just before ends the rollout, asynchronously: these find it running or ended.
        ["pause" or "resume" or "abort", "api"] => new(1, "no rollout of api is running") { OrSuccess = true },

        // The doc's id is an example: no silence has it.
        ["silence", "rm", _] => new(1, "there is no active silence with id"),

        // The shop's api is autoscaled, and the line's own comment says a scale is then refused.
        ["scale", "api", _] => new(1, "api is autoscaled between autoscale.min"),

        // H stands for a head kept from an earlier `audit verify`; no entry has that hash.
        ["audit", "verify", "--head", "H"] => new(1, "no entry has the hash H"),

        // NAME and ID stand for a job and one of its runs: the shop has no jobs (the Jobs tests run these verbs),
        // and ID is not a run number.
        ["job", "run" or "history", "NAME", ..] when !command.Minimal.Contains("--log") => new(1, "there is no job named NAME in this app"),
        ["job", "history", "NAME", "--log", "ID"] => new(2, "Cannot parse argument 'ID' for option '--log'"),
        // The go-live checklist fails on the shop by design: its receiver's SLACK_WEBHOOK and main-db's DATABASE_URL
        // are not set. Exit 1 with the whole report is the documented outcome, not a crash.
        ["preflight", ..] => new(1, "fix the failures before going live"),

        _ => null,
    };

    public void Dispose()
    {
        _daemon?.Dispose();

        LeftoverInstances.Kill(Path.Combine(ManifestDirectory, ".slipway"));
        _root.Dispose();
    }

    /// <summary>The shop as a repository root holds it, its fixed ports swapped for free ones.</summary>
    private void CopyShop()
    {
        Directory.CreateDirectory(ManifestDirectory);
        var text = File.ReadAllText(RepositoryRoot.File("examples", "shop", "slipway.yaml"))
            .Replace("127.0.0.1:8080", $"127.0.0.1:{FreePort.Next()}", StringComparison.Ordinal)
            .Replace("9101", FreePort.Next().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("../demo-app/bin/Release/net10.0/demo-app.dll", BuildOutput.DemoApp, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(ManifestDirectory, "slipway.yaml"), text);
    }

    private sealed record Failure(int Exit, string Says)
    {
        public bool OrSuccess { get; init; }

        public override string ToString() => $"{(OrSuccess ? "0, or " : "")}{Exit} saying \"{Says}\"";
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
