namespace Slipway.Core.Alerting;

/// <summary>What an alert function reads, which decides the labels each of its samples carries.</summary>
internal enum AlertSource
{
    /// <summary>The proxy's request counters; one sample per service (labels: service).</summary>
    Requests,

    /// <summary>The supervisor's instances; one sample per instance (labels: service, revision, instance).</summary>
    Instances,

    /// <summary>The backup catalogs; one sample per backup (label: backup).</summary>
    Backups,

    /// <summary>The proxy's TLS certificate files; one sample per file (label: certificate).</summary>
    Certificates,

    /// <summary>The jobs' newest runs; one sample per job (label: job_name, since Prometheus keeps job for its scrape job).</summary>
    Jobs,

    /// <summary>The series services serve on <c>metrics.path</c>; one sample per service × revision (labels: service, revision).</summary>
    Application,
}
