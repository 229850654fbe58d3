using System.Collections.Immutable;
using System.Text.Json;
using Slipway.Core.Primitives;

namespace Slipway.Control.Maintenance;

/// <summary>
/// <c>slipway maintenance on|off</c>: the current <see cref="MaintenanceState"/>, kept in <c>maintenance.json</c>
/// (0600) in the state directory so a daemon restart keeps the app in maintenance. Each change is written before
/// it is announced through <see cref="Changed"/>. Thread-safe.
/// </summary>
internal sealed class MaintenanceStore
{
    public const string FileName = "maintenance.json";

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private MaintenanceState _state = MaintenanceState.None;

    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    /// <exception cref="JsonException">The file is not a maintenance file.</exception>
    public MaintenanceStore(string directory, TimeProvider time)
    {
        _time = time;
        _path = Path.Combine(directory, FileName);
        if (File.Exists(_path))
        {
            using var stream = File.OpenRead(_path);
            _state = StateOf(JsonSerializer.Deserialize(stream, MaintenanceJsonContext.Default.ListMaintenanceWindow) ?? []);
        }
    }

    /// <summary>Raised after each change, with the new state (on the caller's thread, one change at a time).</summary>
    public event Action<MaintenanceState>? Changed;

    public MaintenanceState Current => Volatile.Read(ref _state);

    /// <summary>Puts the app (<paramref name="service"/> null) or one service in maintenance, replacing one already on.</summary>
    public MaintenanceWindow TurnOn(string? service, TimeSpan hold, string page, string pageType, string by)
    {
        var window = new MaintenanceWindow(service, hold, page, pageType, _time.GetUtcNow(), by);
        Change(state => service is null ? state with { App = window } : state with { Services = state.Services.SetItem(service, window) });
        return window;
    }

    /// <summary>
    /// Ends maintenance: of one service (its own; the app's, if on, still covers it), or with <paramref name="service"/>
    /// null of the whole app and every service. False when there was none to end.
    /// </summary>
    public bool TurnOff(string? service)
    {
        var ended = false;
        Change(state =>
        {
            ended = service is null ? state.App is not null || state.Services.Count > 0 : state.Services.ContainsKey(service);
            return service is null ? MaintenanceState.None : state with { Services = state.Services.Remove(service) };
        });
        return ended;
    }

    private void Change(Func<MaintenanceState, MaintenanceState> change)
    {
        MaintenanceState next;
        lock (_lock)
        {
            next = change(_state);
            List<MaintenanceWindow> windows = [.. next.App is { } app ? [app] : Array.Empty<MaintenanceWindow>(), .. next.Services.Values.OrderBy(w => w.Service, StringComparer.Ordinal)];
            PrivateFile.Replace(_path, JsonSerializer.SerializeToUtf8Bytes(windows, MaintenanceJsonContext.Default.ListMaintenanceWindow));
            Volatile.Write(ref _state, next);

            // Inside the lock, so two changes are announced in the order they were made.
            Changed?.Invoke(next);
        }
    }

    private static MaintenanceState StateOf(List<MaintenanceWindow> windows) => new(
        windows.FirstOrDefault(w => w.Service is null),
        windows.Where(w => w.Service is not null).ToImmutableDictionary(w => w.Service!, StringComparer.Ordinal));
}
