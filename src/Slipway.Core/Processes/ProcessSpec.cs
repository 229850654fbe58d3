using Slipway.Core.Configuration;

namespace Slipway.Core.Processes;

/// <summary>
/// How to start one child: a program and an argument list (never a shell string), its
/// environment and working directory. Modelled on Aspire's <c>ProcessSpec</c>.
/// </summary>
/// <param name="FileName">A path, or a name looked up on <c>PATH</c>.</param>
/// <param name="Environment">The child's whole environment; nothing is inherited implicitly.</param>
internal sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory)
{
    /// <summary>Appended to, never truncated; <c>/dev/null</c> when absent.</summary>
    public string? StdoutPath { get; init; }

    public string? StderrPath { get; init; }

    /// <summary>
    /// The daemon's own environment, as a start for <see cref="Environment"/>, without what it set
    /// for its runtime alone (<see cref="DaemonOnlyEnvironment"/>).
    /// </summary>
    public static Dictionary<string, string> InheritedEnvironment()
    {
        var result = EnvironmentVariables.All();
        foreach (var name in result.Keys.Where(DaemonOnlyEnvironment.IsDaemonOnly).ToList())
        {
            result.Remove(name);
        }

        return result;
    }

    public override string ToString() => string.Join(' ', new[] { FileName }.Concat(Arguments));
}
