namespace Slipway.Core.Manifest.Binding;

/// <summary>A section with rules between its own fields (exactly one probe kind, min ≤ max...).</summary>
internal interface IValidatedSpec
{
    void Validate(SpecContext context);
}
