namespace Slipway.Core.Manifest.Model;

/// <summary>Keeps one client on one revision while traffic is split.</summary>
internal enum Affinity
{
    None,
    Cookie,
    ClientIp,
}
