using Microsoft.Extensions.Logging;
using Slipway.Control.State;
using Slipway.Core.Manifest;

namespace Slipway.Control.Events;

/// <summary>
/// Where the supervisor says what happened: the state store (for <c>slipway events</c>), the daemon's log, and
/// any in-process listener (tests, the dashboard). A failure to store never stops supervision.
/// </summary>
internal sealed class EventJournal
{
    private readonly StateStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EventJournal(StateStore? store, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public event Action<EventRecord>? Recorded;

    /// <param name="message">URLs in it are reduced to scheme, host and port (<see cref="SensitiveValues"/>): a hook's arguments or a receiver's error may hold credentials.</param>
    public void Record(string service, string? instance, string kind, string message)
    {
        message = SensitiveValues.MaskUrls(message);
        var record = new EventRecord(_time.GetUtcNow(), service, instance, kind, message);
        EventsLog.Event(_logger, service, instance ?? "-", kind, message);
        try
        {
            _store?.AppendEvent(record);
        }
        catch (DiskFullException)
        {
            // Not stored; the store's disk has said once that it is full, and the event still reaches the listeners.
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or ObjectDisposedException)
        {
            EventsLog.StoreFailed(_logger, e.Message);
        }

        Recorded?.Invoke(record);
    }
}
