using System.Globalization;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// The address other services get for a stateful service (<c>SLIPWAY_&lt;SERVICE&gt;_URL</c>): its <c>url</c> with
/// <c>${PORT}</c> filled; otherwise a scheme told by the program it runs — <c>postgresql://</c> for
/// <c>postgres</c>, <c>redis://</c> for <c>redis-server</c> (and Valkey, KeyDB), <c>tcp://</c> for anything else.
/// </summary>
internal static class StatefulUrls
{
    private static readonly Dictionary<string, string> SchemeByProgram = new(StringComparer.Ordinal)
    {
        ["postgres"] = "postgresql",
        ["postmaster"] = "postgresql",
        ["redis-server"] = "redis",
        ["valkey-server"] = "redis",
        ["keydb-server"] = "redis",
    };

    public static string For(string service, ServiceSpec spec, int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        if (spec.Url is { } template)
        {
            return Placeholders.Expand(template, new Dictionary<string, string>(StringComparer.Ordinal) { ["PORT"] = portText, ["SERVICE"] = service });
        }

        var program = Path.GetFileName(spec.Run?.Command ?? "");
        return $"{SchemeByProgram.GetValueOrDefault(program, "tcp")}://127.0.0.1:{portText}";
    }

    /// <summary><c>SLIPWAY_&lt;SERVICE&gt;_URL</c>: the name upper-cased, <c>-</c> as <c>_</c>.</summary>
    public static string VariableName(string service) => "SLIPWAY_" + service.ToUpperInvariant().Replace('-', '_') + "_URL";
}
