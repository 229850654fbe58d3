using System.CommandLine;
using Slipway.Control.Logs;
using Slipway.Core.Primitives;

namespace Slipway.Cli;

/// <summary><c>slipway logs SERVICE</c>: instances' output, read straight from the state directory.</summary>
internal static class LogsCommand
{
    public static Command Create(CliOutput output)
    {
        var service = new Argument<string>("SERVICE") { Description = "The service whose logs to print." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until Ctrl-C." };
        var since = new Option<string?>("--since") { Description = "Only lines from this long ago on, e.g. 10m." };
        var grep = new Option<string?>("--grep") { Description = "Only lines containing TEXT (case-insensitive)." };
        var instance = new Option<string?>("--instance") { Description = "Only this instance, e.g. api-1-0." };
        var stateDir = StateDirectoryOption.Create();
        var file = StateDirectoryOption.CreateFile();
        var command = new Command("logs", "Print a service's logs: timestamped, JSON lines shown as level and message.")
        {
            service, follow, since, grep, instance, stateDir, file,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            TimeSpan? window = null;
            if (parsed.GetValue(since) is { } text)
            {
                if (!DurationText.TryParse(text, out var value, out var error))
                {
                    await output.Error.WriteLineAsync($"slipway: --since {error}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                window = value;
            }

            var directory = StateDirectoryOption.Resolve(parsed.GetValue(stateDir), parsed.GetValue(file)!);
            var name = parsed.GetValue(service)!;
            if (!Directory.Exists(LogPaths.ServiceDirectory(directory, name)))
            {
                await output.Error.WriteLineAsync($"slipway: no logs for service {name} in {directory}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var time = TimeProvider.System;
            var from = window is { } w ? time.GetUtcNow() - w : DateTimeOffset.MinValue;
            var filter = parsed.GetValue(grep);
            var printed = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                foreach (var line in LogReader.Read(directory, name, parsed.GetValue(instance)))
                {
                    if (line.Time < from || (filter is not null && !line.Text.Contains(filter, StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }

                    // In follow mode whole files are read again; a line is printed once (same instance, time and text).
                    var key = $"{line.Instance}\t{line.Format()}";
                    if (printed.Add(key))
                    {
                        await output.Out.WriteLineAsync(line.Display()).ConfigureAwait(false);
                    }
                }

                await output.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (!parsed.GetValue(follow))
                {
                    return ExitCodes.Success;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return ExitCodes.Success;
                }
            }
        });
        return command;
    }
}
