namespace Slipway.Core.Manifest.Diff;

internal enum ServiceChangeKind
{
    Added,
    Removed,
    Changed,
}
