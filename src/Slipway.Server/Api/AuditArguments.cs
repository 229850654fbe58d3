using Microsoft.AspNetCore.Http;

namespace Slipway.Server.Api;

/// <summary>What a mutating endpoint wants recorded about its body. Secret values go in as "[redacted]", never as themselves.</summary>
internal static class AuditArguments
{
    public const string Redacted = "[redacted]";
    private const string Key = "slipway.audit";

    public static void Add(HttpContext context, string name, string value)
    {
        if (context.Items[Key] is not Dictionary<string, string> arguments)
        {
            arguments = new Dictionary<string, string>(StringComparer.Ordinal);
            context.Items[Key] = arguments;
        }

        arguments[name] = value;
    }

    public static Dictionary<string, string> Of(HttpContext context)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.RouteValues)
        {
            result[key] = value?.ToString() ?? "";
        }

        foreach (var (key, value) in context.Request.Query)
        {
            result["query." + key] = value.ToString();
        }

        if (context.Items[Key] is Dictionary<string, string> added)
        {
            foreach (var (key, value) in added)
            {
                result[key] = value;
            }
        }

        return result;
    }
}
