namespace Slipway.Core.Manifest.Model;

internal enum HeadersPreset
{
    None,
    Secure,
}
