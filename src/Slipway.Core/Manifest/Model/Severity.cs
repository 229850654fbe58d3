namespace Slipway.Core.Manifest.Model;

internal enum Severity
{
    Info,
    Warning,
    Critical,
}
