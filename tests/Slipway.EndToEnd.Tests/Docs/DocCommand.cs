namespace Slipway.EndToEnd.Tests.Docs;

/// <summary>
/// One `slipway …` (or `./slipway.sh …`) line of a document, as a reader would type it: <see cref="Text"/> as written,
/// <see cref="Full"/> with every optional [group] given (its first alternative, placeholders filled), <see cref="Minimal"/>
/// with the optional groups left out, and what a `printf %s … |` before it sends on standard input.
/// </summary>
internal sealed record DocCommand(string Source, string Text, IReadOnlyList<string> Full, IReadOnlyList<string> Minimal, string? Input)
{
    public string Verb => Minimal.Count > 0 ? Minimal[0] : "";

    public override string ToString() => $"{Source}: {Text}";
}
