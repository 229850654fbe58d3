namespace Slipway.Control.Probes;

/// <summary>One check's outcome; <see cref="Detail"/> says why in words (status code, error, exit code).</summary>
internal readonly record struct ProbeResult(bool Success, string Detail)
{
    public static ProbeResult Pass(string detail) => new(true, detail);

    public static ProbeResult Fail(string detail) => new(false, detail);
}
