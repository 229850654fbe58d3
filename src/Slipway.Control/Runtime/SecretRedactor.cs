namespace Slipway.Control.Runtime;

/// <summary>
/// Takes secret values out of text Slipway keeps or shows — a hook's last line in an event, a job's log tail in its
/// history — writing <c>[secret NAME]</c> instead: a tool that echoes its connection string must not put the
/// password in <c>slipway events</c>. Values shorter than <see cref="MinLength"/> are left alone, since replacing
/// them would garble ordinary words.
/// </summary>
internal sealed class SecretRedactor
{
    public const int MinLength = 4;

    private readonly List<(string Name, string Value)> _secrets;

    public SecretRedactor(IEnumerable<(string Name, string Value)> secrets) =>
        // Longest first, so a secret that contains another is replaced whole.
        _secrets = [.. secrets.Where(s => s.Value.Length >= MinLength).OrderByDescending(s => s.Value.Length)];

    public static SecretRedactor None { get; } = new([]);

    public string Redact(string text)
    {
        foreach (var (name, value) in _secrets)
        {
            text = text.Replace(value, $"[secret {name}]", StringComparison.Ordinal);
        }

        return text;
    }
}
