using System.CommandLine;
using System.Globalization;
using Slipway.Backups;
using Slipway.Backups.Drills;

namespace Slipway.Cli;

/// <summary>
/// <c>slipway drill NAME</c>: restore the newest backup (with its WAL, when physical) into a scratch cluster, run
/// the verify queries, and report RTO and RPO against the manifest's <c>rto</c>/<c>rpo</c>. Exit 1 when the
/// restore fails or an objective is missed, so it can run from cron and alert.
/// </summary>
internal static class DrillCommand
{
    public static Command Create(CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "A backup from the manifest's `backups:`." };
        var file = BackupCommand.FileOption();
        var format = Client.ApiOptions.CreateOutput();
        var command = new Command("drill", "Restore the newest backup into a scratch cluster and measure RTO and RPO against the manifest's objectives.") { name, file, format };
        command.SetAction(Interruption.Cancels(output, async (parsed, ct) =>
        {
            if (!BackupCommand.TryJob(output, parsed.GetValue(file)!, parsed.GetValue(name)!, out var job, out var exit))
            {
                return exit;
            }

            DrillReport report;
            try
            {
                report = await BackupCommand.Service().DrillAsync(job!, ct).ConfigureAwait(false);
            }
            catch (BackupException e)
            {
                output.Error.WriteLine($"slipway: drill {job!.Name}: {e.Message}");
                return ExitCodes.Failed;
            }

            if (parsed.GetValue(format) == "json")
            {
                output.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, JsonOptions));
                return report.Passed ? ExitCodes.Success : ExitCodes.Failed;
            }

            Print(output, job!.Name, report);
            return report.Passed ? ExitCodes.Success : ExitCodes.Failed;
        }));
        return command;
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true };

    private static void Print(CliOutput output, string name, DrillReport report)
    {
        var what = report.Kind == "physical" ? "base backup + archived WAL" : "logical dump";
        output.Out.WriteLine($"drill {name}: {report.BackupId} ({what}) restored into a scratch cluster");
        foreach (var query in report.Queries)
        {
            output.Out.WriteLine($"  verify  {query.Sql} = {query.Value}");
        }

        if (report.Error is not null)
        {
            output.Error.WriteLine($"slipway: drill {name}: the restore failed after {Seconds(report.Rto)}: {report.Error}");
            return;
        }

        output.Out.WriteLine($"  RTO     {Seconds(report.Rto),-10} objective {Objective(report.RtoObjective),-8} {Verdict(report.RtoObjective, report.RtoMet)}");
        var rpo = report.Rpo is { } r ? Seconds(r) : "unknown";
        output.Out.WriteLine($"  RPO     {rpo,-10} objective {Objective(report.RpoObjective),-8} {Verdict(report.RpoObjective, report.RpoMet)}   ({report.RpoBasis})");
        if (!report.Passed)
        {
            output.Error.WriteLine($"slipway: drill {name}: " + (report.RtoMet ? "the recovery point objective was missed" : "the recovery time objective was missed"));
        }
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    private static string Objective(TimeSpan? objective) => objective is { } o ? Seconds(o) : "none";

    private static string Verdict(TimeSpan? objective, bool met) => objective is null ? "" : met ? "met" : "MISSED";
}
