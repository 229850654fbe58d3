using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Jobs;

/// <summary>
/// Starts each scheduled job at every occurrence of its <c>schedule</c>, read in its <c>timeZone</c> (the
/// machine's when not written), on the injected clock. Starting is all it does: whether a run may start beside one
/// still going is the runner's concurrency rule, so a long run never shifts the next occurrence.
/// </summary>
internal sealed class JobScheduler(TimeProvider time, Action<string> start)
{
    public Task RunAsync(IReadOnlyDictionary<string, JobSpec> jobs, CancellationToken cancellationToken) =>
        Task.WhenAll(jobs.Where(j => j.Value.Schedule is not null).Select(j => RunOneAsync(j.Key, j.Value, cancellationToken)));

    private async Task RunOneAsync(string name, JobSpec job, CancellationToken cancellationToken)
    {
        var zone = job.Zone(time.LocalTimeZone);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                if (job.Schedule!.GetNextOccurrence(now, zone) is not { } next)
                {
                    return;
                }

                await Task.Delay(next - now, time, cancellationToken).ConfigureAwait(false);
                start(name);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The daemon is stopping.
        }
    }
}
