namespace Slipway.DemoApp;

/// <summary>One or more settings were invalid; the message lists every problem, one per line.</summary>
internal sealed class SettingsException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
