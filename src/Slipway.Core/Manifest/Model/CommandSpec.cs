using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// A program and its arguments, written as a line (<c>dotnet Cleanup.dll --days 30</c>, split at spaces with
/// quotes respected, never given to a shell) or as a mapping with an argument list.
/// </summary>
internal sealed record CommandSpec : IScalarShorthand<CommandSpec>
{
    [Required]
    public string Command { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    public static CommandSpec? FromScalar(string text, out string? error)
    {
        var hook = HookCommand.FromScalar(text, out error);
        return hook is null ? null : new CommandSpec { Command = hook.Command, Args = hook.Args };
    }

    public override string ToString() => string.Join(' ', new[] { Command }.Concat(Args));
}
