namespace Slipway.Core.Manifest.Model;

/// <summary>The images of the jobs Slipway renders beside the services' own.</summary>
internal sealed record KubernetesImagesSpec
{
    /// <summary>Runs the backup and verify CronJobs: match the server's major version, as pg_dump requires.</summary>
    public string Postgres { get; init; } = "postgres:17";

    /// <summary>Sends the deploy's smoke checks.</summary>
    public string Curl { get; init; } = "curlimages/curl:8.11.1";
}
