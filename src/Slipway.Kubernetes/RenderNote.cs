namespace Slipway.Kubernetes;

/// <summary>
/// Something the cluster does not do as one machine does, about the manifest key at <see cref="Path"/>
/// (<c>services.api.loadBalancing</c>): printed on stderr, one line each, never silently dropped.
/// </summary>
internal sealed record RenderNote(string Path, string Message);
