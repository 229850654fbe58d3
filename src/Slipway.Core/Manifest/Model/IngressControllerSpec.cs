namespace Slipway.Core.Manifest.Model;

/// <summary>The ingress-nginx controller the rendered Ingresses are for (with <c>traffic: ingress</c>).</summary>
internal sealed record IngressControllerSpec
{
    public string ClassName { get; init; } = "nginx";

    /// <summary>Where the controller's pods run: the network policies let traffic in from there.</summary>
    public string Namespace { get; init; } = "ingress-nginx";
}
