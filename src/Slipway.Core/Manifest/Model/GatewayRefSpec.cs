namespace Slipway.Core.Manifest.Model;

/// <summary>The Gateway the rendered HTTPRoutes attach to. Slipway references it; the cluster's platform owns it.</summary>
internal sealed record GatewayRefSpec
{
    /// <summary>The Gateway's name; the app's name when absent.</summary>
    public string? Name { get; init; }

    /// <summary>The Gateway's namespace; the app's namespace when absent.</summary>
    public string? Namespace { get; init; }

    /// <summary>The Gateway listener to attach to; every listener that allows the routes when absent.</summary>
    public string? SectionName { get; init; }
}
