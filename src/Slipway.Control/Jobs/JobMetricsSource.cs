using Slipway.Control.Telemetry;

namespace Slipway.Control.Jobs;

/// <summary>
/// <c>slipway_job_last_failed</c>, <c>slipway_job_last_success_timestamp_seconds</c> and <c>slipway_job_running</c>,
/// labelled <c>job_name</c> (Prometheus keeps <c>job</c> for its scrape job): what <c>job_failed</c> reads, from the same states, so a rendered Prometheus rule and
/// Slipway's own engine see the same numbers.
/// </summary>
internal sealed class JobMetricsSource(Func<IReadOnlyList<JobState>> jobs) : IMetricsSource
{
    public void WriteMetrics(MetricsWriter writer)
    {
        var states = jobs();
        writer.Family("slipway_job_last_failed", "gauge", "1 when the job's newest finished run failed (or timed out, could not start, was interrupted), else 0.");
        foreach (var job in states)
        {
            writer.Sample([new("job_name", job.Name)], job.LastFailed ? 1 : 0);
        }

        writer.Family("slipway_job_last_success_timestamp_seconds", "gauge", "When the job's newest successful run ended, in Unix seconds; absent before the first.");
        foreach (var job in states)
        {
            if (job.LastSuccess is { } at)
            {
                writer.Sample([new("job_name", job.Name)], at.ToUnixTimeMilliseconds() / 1000.0);
            }
        }

        writer.Family("slipway_job_running", "gauge", "Runs of the job going now.");
        foreach (var job in states)
        {
            writer.Sample([new("job_name", job.Name)], job.Running);
        }
    }
}
