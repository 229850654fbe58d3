using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// A command run around a deploy. Written as a line (<c>dotnet Migrate.dll --apply</c>),
/// split into arguments at spaces with quotes respected — never passed to a shell — or as
/// a mapping with an argument list and a timeout.
/// </summary>
internal sealed record HookCommand : IScalarShorthand<HookCommand>
{
    [Required]
    public string Command { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public static HookCommand? FromScalar(string text, out string? error)
    {
        if (!CommandLineSplitter.TrySplit(text, out var words, out error))
        {
            return null;
        }

        if (words.Count == 0)
        {
            error = "must name a command";
            return null;
        }

        return new HookCommand { Command = words[0], Args = words.Skip(1).ToList() };
    }
}
