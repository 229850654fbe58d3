using Slipway.Control.Apply;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Diff;

namespace Slipway.Server.Api.Contracts;

/// <summary>One value an apply changes, by its manifest path.</summary>
/// <param name="Before">The running value as compact JSON, masked; null where absent.</param>
/// <param name="After">The new value as compact JSON, masked; null where absent.</param>
/// <param name="Masked">True when a value under <c>env</c>, a secret-like value or a URL's credentials were hidden.</param>
/// <param name="Role">The least role that may make this change.</param>
internal sealed record PlannedChange(string Path, string? Before, string? After, bool Masked, ApplyRole Role)
{
    public static PlannedChange Of(ApplyAction action, FieldChange field)
    {
        var shown = SensitiveValues.Mask(field);
        return new(field.Path, shown.Before, shown.After, shown != field, ApplyPrivileges.Of(action, field));
    }
}
