using System.CommandLine;

namespace Slipway.Cli;

internal static class SlipwayCommand
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("Slipway puts web services into production on one machine.");
        var version = new Command("version", "Print Slipway's version.");
        version.SetAction(_ => Console.WriteLine(typeof(SlipwayCommand).Assembly.GetName().Version));
        root.Subcommands.Add(version);
        return root.Parse(args).Invoke();
    }
}
