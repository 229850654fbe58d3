using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>One check: an HTTP path, a TCP connect, or a command; and how often and how strictly.</summary>
internal sealed record ProbeSpec : IValidatedSpec
{
    /// <summary>Path answered with 2xx or 3xx, e.g. <c>/health</c>.</summary>
    public string? Http { get; init; }

    /// <summary>A TCP connect to the instance's port succeeds.</summary>
    public bool Tcp { get; init; }

    /// <summary>A command (argument list) that exits 0.</summary>
    public IReadOnlyList<string>? Exec { get; init; }

    public TimeSpan InitialDelay { get; init; } = TimeSpan.Zero;

    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int SuccessThreshold { get; init; } = 1;

    [Range(1, 1000)]
    public int FailureThreshold { get; init; } = 3;

    public void Validate(SpecContext context)
    {
        var kinds = (Http is null ? 0 : 1) + (Tcp ? 1 : 0) + (Exec is null ? 0 : 1);
        if (kinds != 1)
        {
            context.Error(kinds == 0
                ? "needs one check: `http: /path`, `tcp: true` or `exec: [command, args...]`"
                : "must have only one of `http`, `tcp` and `exec`");
        }

        if (Http is not null && !Http.StartsWith('/'))
        {
            context.Error("http", $"must be a path starting with '/' (got {ScalarParsers.Quote(Http)})");
        }

        if (Exec is { Count: 0 })
        {
            context.Error("exec", "must name a command");
        }

        if (Period <= TimeSpan.Zero)
        {
            context.Error("period", "must be longer than 0s");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            context.Error("timeout", "must be longer than 0s");
        }
        else if (Timeout > Period && Period > TimeSpan.Zero)
        {
            context.Error("timeout", $"must not be longer than the period ({Primitives.DurationText.Format(Period)}), or checks would overlap");
        }
    }
}
