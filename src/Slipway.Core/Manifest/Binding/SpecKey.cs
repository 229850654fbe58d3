using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Slipway.Core.Manifest.Binding;

/// <summary>One key of a section: its name in the file, the property it sets, and its declared rules.</summary>
internal sealed record SpecKey(string Name, PropertyInfo Property, bool IsNullable, bool IsRequired, RangeAttribute? Range);
