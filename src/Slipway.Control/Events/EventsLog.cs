using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Control.Events;

/// <summary>The journal's log messages: every event goes to the daemon's log as well as the store.</summary>
internal static partial class EventsLog
{
    [LoggerMessage(EventIds.JournalEvent, LogLevel.Information, "{Service} {Instance}: {Kind}: {Message}")]
    public static partial void Event(ILogger logger, string service, string instance, string kind, string message);

    [LoggerMessage(EventIds.JournalStoreFailed, LogLevel.Warning, "The state store could not record an event: {Reason}")]
    public static partial void StoreFailed(ILogger logger, string reason);
}
