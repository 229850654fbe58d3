using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary><c>GET /api/health</c>, or a mapping with the status expected.</summary>
internal sealed record SmokeCheck : IScalarShorthand<SmokeCheck>
{
    public string Method { get; init; } = "GET";

    [Required]
    public string Path { get; init; } = "/";

    /// <summary>The status expected; any 2xx when absent.</summary>
    [Range(100, 599)]
    public int? Status { get; init; }

    public static SmokeCheck? FromScalar(string text, out string? error)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && parts[0].All(char.IsAsciiLetterUpper) && parts[1].StartsWith('/'))
        {
            error = null;
            return new SmokeCheck { Method = parts[0], Path = parts[1] };
        }

        if (parts.Length == 1 && parts[0].StartsWith('/'))
        {
            error = null;
            return new SmokeCheck { Path = parts[0] };
        }

        error = $"must be a request such as \"GET /health\" (got {ScalarParsers.Quote(text)})";
        return null;
    }
}
