namespace Slipway.Core.Routing;

/// <summary>
/// A revision the edge serves from a directory instead of forwarding: <paramref name="Root"/> (absolute),
/// <paramref name="Index"/> for a directory and, with <paramref name="Spa"/>, for an unknown page.
/// </summary>
internal sealed record StaticSiteModel(string Root, bool Spa, string Index);
