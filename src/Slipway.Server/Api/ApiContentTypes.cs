namespace Slipway.Server.Api;

/// <summary>The media types the API answers with besides <see cref="Problems.ContentType"/>.</summary>
internal static class ApiContentTypes
{
    public const string Json = "application/json";

    public const string EventStream = "text/event-stream";

    public const string Text = "text/plain";
}
