using System.CommandLine;

namespace Slipway.Cli;

/// <summary>The <c>slipway</c> command line: verbs appear here only once they work.</summary>
internal static class SlipwayCommand
{
    public const string Description = """
        Slipway puts web services into production on one machine and keeps them there.

        Exit codes: 0 success, 1 the operation failed, 2 usage or validation error.
        """;

    /// <param name="stdin">Where <c>secrets set</c> reads its value; the console (or a no-echo prompt) when null.</param>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, TextReader? stdin = null)
    {
        var output = new CliOutput(stdout ?? Console.Out, stderr ?? Console.Error);
        var root = new RootCommand(Description);
        root.Subcommands.Add(VersionCommand.Create(output));
        root.Subcommands.Add(ValidateCommand.Create(output));
        root.Subcommands.Add(BackupCommand.Create(output));
        root.Subcommands.Add(RestoreCommand.Create(output));
        root.Subcommands.Add(DrillCommand.Create(output));
        root.Subcommands.Add(UpCommand.Create(output));
        root.Subcommands.Add(UpCommand.Create(output, "serve"));
        root.Subcommands.Add(LogsCommand.Create(output));
        root.Subcommands.Add(EventsCommand.Create(output));
        root.Subcommands.Add(StatusCommand.Create(output));
        root.Subcommands.Add(CertsCommand.Create(output));
        root.Subcommands.Add(ScaleCommand.Create(output));
        root.Subcommands.Add(RestartCommand.Create(output));
        root.Subcommands.Add(DeployCommand.Create(output));
        root.Subcommands.Add(ApplyCommand.Create(output));
        foreach (var verb in RolloutVerbs.Create(output))
        {
            root.Subcommands.Add(verb);
        }

        root.Subcommands.Add(RollbackCommand.Create(output));
        root.Subcommands.Add(HistoryCommand.Create(output));
        root.Subcommands.Add(JobCommand.Create(output));
        root.Subcommands.Add(SecretsCommand.Create(output, stdin));
        root.Subcommands.Add(TokenCommand.Create(output));
        root.Subcommands.Add(AuditCommand.Create(output));
        root.Subcommands.Add(AlertsCommand.Create(output));
        root.Subcommands.Add(SilenceCommand.Create(output));
        root.Subcommands.Add(MaintenanceCommand.Create(output));
        root.Subcommands.Add(RenderCommand.Create(output));
        root.Subcommands.Add(PreflightCommand.Create(output));
        root.Subcommands.Add(CostCommand.Create(output));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                output.Error.WriteLine($"slipway: {error.Message}");
            }

            output.Error.WriteLine("Run 'slipway --help' for usage.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output.Out, Error = output.Error });
    }
}
