using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;
using Slipway.Core.Routing;

namespace Slipway.Core.Manifest.Model;

/// <summary>A route's web application firewall: <c>{ mode: block, allow: [...], bodyLimit: 16KB }</c>.</summary>
internal sealed record WafSpec : IValidatedSpec
{
    /// <summary>The most of a body the engine reads (its <c>WafLimits.BodyBytes</c>).</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary><c>detect</c> logs and counts matches and forwards; <c>block</c> answers them 403.</summary>
    public WafMode Mode { get; init; } = WafMode.Detect;

    /// <summary>How much of a form, JSON, multipart or text body is inspected; 0 for none.</summary>
    public ByteSize BodyLimit { get; init; } = new(MaxBodyBytes);

    /// <summary>Rules silenced for traffic they misread, optionally for one target and under one path.</summary>
    public IReadOnlyList<WafAllowSpec> Allow { get; init; } = [];

    public void Validate(SpecContext context)
    {
        if (BodyLimit.Bytes is < 0 or > MaxBodyBytes)
        {
            context.Error("bodyLimit", $"must be between 0 (no body inspection) and 16KB, the most the WAF reads (got {BodyLimit})");
        }
    }
}
