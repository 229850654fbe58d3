using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Slipway.Server.Api;

/// <summary>
/// Reads a JSON object body itself, so a malformed one (or one naming a key twice) gets a problem naming what is
/// wrong rather than an empty 400; <see cref="RequestBody{T}"/> binds it.
/// </summary>
internal static class JsonBody
{
    // {"replicas":3,"replicas":1} is refused rather than read as one of the two.
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadObjectAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, Options, context.RequestAborted).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (default, Problems.Invalid(new Dictionary<string, string[]> { ["body"] = ["must be a JSON object"] }));
            }

            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, Problems.Invalid(new Dictionary<string, string[]> { ["body"] = [$"is not valid JSON: {e.Message}"] }));
        }
    }
}
