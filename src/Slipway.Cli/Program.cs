namespace Slipway.Cli;

internal static class Program
{
    public static int Main(string[] args) => SlipwayCommand.Run(args);
}
