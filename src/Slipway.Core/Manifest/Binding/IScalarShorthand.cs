namespace Slipway.Core.Manifest.Binding;

/// <summary>
/// A section that may also be written as one value, e.g. <c>headers: secure</c> or
/// <c>restart: on-failure</c>. The binder calls <see cref="FromScalar"/> when it finds a
/// scalar where the section's mapping would be.
/// </summary>
internal interface IScalarShorthand<TSelf>
    where TSelf : class
{
    /// <summary>The section for <paramref name="text"/>, or null with <paramref name="error"/> said after the key.</summary>
    static abstract TSelf? FromScalar(string text, out string? error);
}
