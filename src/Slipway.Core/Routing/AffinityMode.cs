namespace Slipway.Core.Routing;

internal enum AffinityMode
{
    None,
    Cookie,
    ClientIp,
}
