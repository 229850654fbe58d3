namespace Slipway.Core.Manifest.Model;

internal enum RestartPolicy
{
    Always,
    OnFailure,
    Never,
}
