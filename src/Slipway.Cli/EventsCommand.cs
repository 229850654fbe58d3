using System.CommandLine;
using Slipway.Control.State;

namespace Slipway.Cli;

/// <summary><c>slipway events</c>: the timeline, read from the state store (no daemon needed).</summary>
internal static class EventsCommand
{
    public static Command Create(CliOutput output)
    {
        var service = new Option<string?>("--service") { Description = "Only this service's events." };
        var stateDir = StateDirectoryOption.Create();
        var file = StateDirectoryOption.CreateFile();
        var limit = new Option<int>("--limit") { Description = "At most this many, the latest.", DefaultValueFactory = _ => 200 };
        var command = new Command("events", "Print what happened: starts, exits, restarts, probe results, stops.") { service, stateDir, file, limit };
        command.SetAction(parsed =>
        {
            var directory = StateDirectoryOption.Resolve(parsed.GetValue(stateDir), parsed.GetValue(file)!);
            if (!File.Exists(Path.Combine(directory, StateStore.FileName)))
            {
                output.Error.WriteLine($"slipway: no state in {directory}; has `slipway up` run there? (--state-dir DIR or -f MANIFEST)");
                return ExitCodes.Failed;
            }

            using var store = StateStore.Open(directory, readOnly: true);
            foreach (var e in store.Events(parsed.GetValue(service), parsed.GetValue(limit)))
            {
                output.Out.WriteLine($"{e.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {e.Service,-12} {e.Instance ?? "-",-20} {e.Kind,-14} {e.Message}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
