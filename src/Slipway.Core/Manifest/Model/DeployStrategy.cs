namespace Slipway.Core.Manifest.Model;

internal enum DeployStrategy
{
    Rolling,
    BlueGreen,
    Canary,
}
