using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Jobs: list them, run one now, read a job's runs.</summary>
internal static partial class ApiEndpoints
{
    private static void MapJobs(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/jobs", () => TypedResults.Ok<IReadOnlyList<JobResponse>>(
                [.. api.Manifest.Current.Jobs.OrderBy(j => j.Key, StringComparer.Ordinal).Select(j => DescribeJob(api, j.Key, j.Value))]))
            .Role(ApiRole.Viewer)
            .WithSummary("Every job: schedule, next run, runs going, and its newest run.");
        v1.MapGet("/jobs/{name}/runs", Results<Ok<IReadOnlyList<JobRunResponse>>, ProblemHttpResult> (string name) =>
                api.Manifest.Current.Jobs.ContainsKey(name)
                    ? TypedResults.Ok<IReadOnlyList<JobRunResponse>>([.. api.Store.JobRuns(name).Select(JobRunResponse.Of)])
                    : UnknownJob(name))
            .Role(ApiRole.Viewer)
            .WithSummary("A job's history, newest first (the newest 50 runs): start, end, exit code, outcome, the end of its output.");
        v1.MapGet("/jobs/{name}/runs/{id}", Results<Ok<JobRunResponse>, ProblemHttpResult> (string name, long id) =>
                api.Store.JobRun(id) is { } run && run.Job == name
                    ? TypedResults.Ok(JobRunResponse.Of(run))
                    : Problems.NotFound($"job {name} has no run {id.ToString(CultureInfo.InvariantCulture)}"))
            .Role(ApiRole.Viewer)
            .WithSummary("One run of a job; poll it to follow a run started by hand.");
        v1.MapPost("/jobs/{name}/run", Results<Ok<JobRunResponse>, ProblemHttpResult> (string name, HttpContext context) =>
            {
                if (!api.Manifest.Current.Jobs.ContainsKey(name) || api.Jobs is null)
                {
                    return UnknownJob(name);
                }

                var start = api.Jobs.Start(name, JobTrigger.Manual, Caller(context));
                if (start.Run is not { } run)
                {
                    return Problems.Result(StatusCodes.Status409Conflict, start.Refusal!);
                }

                AuditArguments.Add(context, "run", run.Id.ToString(CultureInfo.InvariantCulture));
                return TypedResults.Ok(JobRunResponse.Of(run));
            })
            .Role(ApiRole.Deployer)
            .WithSummary("Start a run of the job now; answers once it started (409 while one runs and its concurrency is forbid). Follow it at runs/{id}.");
    }

    private static JobResponse DescribeJob(ApiContext api, string name, JobSpec spec)
    {
        var zone = spec.Zone(api.Time.LocalTimeZone);
        var last = api.Store.JobRuns(name, 1).FirstOrDefault();
        return new JobResponse(
            name,
            spec.Schedule?.ToString(),
            zone.Id,
            spec.Concurrency,
            DurationText.Format(spec.Timeout),
            spec.Service,
            spec.Schedule?.GetNextOccurrence(api.Time.GetUtcNow(), zone),
            api.Jobs?.Running().Count(r => r.Job == name) ?? 0,
            last is null ? null : JobRunResponse.Of(last));
    }

    private static ProblemHttpResult UnknownJob(string name) => Problems.NotFound($"there is no job named {name} in this app");
}
