namespace Slipway.Server.Dashboard;

/// <summary>One file of the dashboard as served: its bytes, a gzip copy made once at start, its type and its ETag.</summary>
internal sealed record DashboardAsset(string Path, string ContentType, byte[] Content, byte[] Gzip, string ETag);
