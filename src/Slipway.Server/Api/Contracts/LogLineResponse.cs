using Slipway.Control.Logs;

namespace Slipway.Server.Api.Contracts;

// Not LogEntry itself on purpose: the search text is the store's index, not something a reader asked for.
/// <summary>One log line as <c>/api/v1/logs</c> returns it: <see cref="LogEntry"/> without its search text.</summary>
internal sealed record LogLineResponse(
    DateTimeOffset Time,
    string Service,
    string Revision,
    string Instance,
    string Stream,
    LineLevel Level,
    string Message,
    DateTimeOffset? LoggedAt,
    string Text)
{
    public static LogLineResponse Of(LogEntry e) => new(e.Time, e.Service, e.Revision, e.Instance, e.Stream, e.Level, e.Message, e.LoggedAt, e.Text);
}
