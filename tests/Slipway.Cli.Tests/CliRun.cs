namespace Slipway.Cli.Tests;

/// <summary>Runs the CLI as a user would, in process: its exit code, stdout and stderr.</summary>
internal static class CliRun
{
    public static (int Exit, string Out, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = SlipwayCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
