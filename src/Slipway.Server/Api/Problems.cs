using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Slipway.Server.Api;

/// <summary>RFC 9457 problem details: every error the API returns is <c>application/problem+json</c> with a detail.</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ProblemHttpResult Result(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status, title: Title(status));

    public static ProblemHttpResult NotFound(string what) => Result(StatusCodes.Status404NotFound, what);

    /// <summary>400 listing every field that is wrong, as <c>errors: { field: [messages] }</c>.</summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) => TypedResults.Problem(new HttpValidationProblemDetails(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = Title(StatusCodes.Status400BadRequest),
        Detail = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")),
    });

    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, object>
        {
            ["type"] = "about:blank",
            ["title"] = Title(status),
            ["status"] = status,
            ["detail"] = detail,
        }, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private static string Title(int status) => ReasonPhrases.GetReasonPhrase(status);
}
