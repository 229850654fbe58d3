using System.Collections.Immutable;

namespace Slipway.Core.Routing;

/// <summary>
/// A service in maintenance: new requests wait up to <paramref name="Hold"/> for it to end, then get 503 with
/// <paramref name="Page"/>. Requests for <paramref name="PassPaths"/> (the service's health-check paths) still reach it.
/// </summary>
internal sealed record MaintenanceModel(TimeSpan Hold, string Page, string PageType, ImmutableArray<string> PassPaths);
