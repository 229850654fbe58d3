using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Control.Secrets;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Supervision;

/// <summary>
/// Before a start: the services this one depends on ready (<c>dependsOn</c>); for a stateful service, its lease
/// (the previous process gone), its fixed port free, and its data directory in place, initialised once while empty.
/// </summary>
internal sealed partial class InstanceController
{
    private async Task<StartPreparation> PrepareStartAsync(CancellationToken stop)
    {
        try
        {
            await _setup.Dependencies.WaitAsync(Service, missing =>
            {
                SetPhase(InstancePhase.Waiting);
                Record(EventKinds.Waiting, $"waiting for {string.Join(", ", missing)} to be ready (dependsOn)");
            }, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return StartPreparation.Stopped;
        }

        if (!Stateful)
        {
            return StartPreparation.Ready;
        }

        if (!await TakeLeaseAsync(stop).ConfigureAwait(false))
        {
            return StartPreparation.Stopped;
        }

        return await PrepareStatefulAsync(stop).ConfigureAwait(false);
    }

    /// <summary>Takes the stateful service's lease (at once for any other service); false when stopped while waiting.</summary>
    private async Task<bool> TakeLeaseAsync(CancellationToken stop)
    {
        if (_setup.Leases is null || _lease is not null)
        {
            return true;
        }

        try
        {
            _lease = await _setup.Leases.AcquireAsync(Service, () =>
            {
                SetPhase(InstancePhase.Waiting);
                Record(EventKinds.Waiting, $"waiting for the previous instance of {Service} to stop: a stateful service never runs two at once");
            }, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void ReleaseLease()
    {
        _lease?.Dispose();
        _lease = null;
    }

    private async Task<StartPreparation> PrepareStatefulAsync(CancellationToken stop)
    {
        var port = _setup.FixedPort!.Value;
        if (PortInUse(port))
        {
            return Failed(EventKinds.StartFailed, $"port {port.ToString(CultureInfo.InvariantCulture)} is in use by another process; a stateful service's port is fixed, so it waits for it to be free");
        }

        bool empty;
        try
        {
            empty = DataDirectory.Ensure(StateDirectory, Service, Spec.Run!.User);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed(EventKinds.StartFailed, $"data directory {DataDirectory.For(StateDirectory, Service)}: {e.Message}");
        }

        if (!empty || Spec.Init is not { } init)
        {
            return StartPreparation.Ready;
        }

        SetPhase(InstancePhase.Starting);
        var values = PlaceholderValues(port);
        var environment = ChildEnvironment.ForService(Spec.Run, values, _setup.SharedEnvironment, Secret, out var missing);
        if (missing is not null)
        {
            return Failed(EventKinds.SecretMissing, new SecretMissingException(Service, missing).Message);
        }

        foreach (var (key, value) in init.Env)
        {
            environment[key] = Placeholders.Expand(value, values);
        }

        environment["SLIPWAY_DATA_DIR"] = values["DATA_DIR"];
        var spec = new ProcessSpec(
            Placeholders.Expand(init.Command, values),
            [.. init.Args.Select(a => Placeholders.Expand(a, values))],
            environment,
            Path.GetFullPath(Spec.Run!.Workdir ?? ".", _context.Options.ManifestDirectory)) { RunAs = Spec.Run.User };
        var redactor = new SecretRedactor(Spec.Run.Secrets.Where(environment.ContainsKey).Select(n => (n, environment[n])));
        ToolResult result;
        try
        {
            result = await _context.Runner.RunToolAsync(spec, init.Timeout, stop).ConfigureAwait(false);
        }
        catch (ProcessStartException e)
        {
            return Failed(EventKinds.InitFailed, e.Message);
        }
        catch (OperationCanceledException)
        {
            return StartPreparation.Stopped;
        }

        if (!result.IsSuccess)
        {
            var said = (result.Stderr + "\n" + result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            return Failed(EventKinds.InitFailed, redactor.Redact(result.TimedOut
                ? $"init `{init.Command}` did not finish within {DurationText.Format(init.Timeout)}"
                : $"init `{init.Command}` exited with code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}{(said is null ? "" : $": {said}")}")
                + "; it runs again before the next start if the data directory is still empty");
        }

        Record(EventKinds.Initialized, $"init `{init.Command}` prepared the empty data directory {values["DATA_DIR"]}");
        return StartPreparation.Ready;
    }

    private StartPreparation Failed(string kind, string message)
    {
        lock (_lock)
        {
            _lastProblem = message;
        }

        Record(kind, message);
        return StartPreparation.Failed;
    }

    /// <summary>Something listens on the loopback port (SO_REUSEADDR, so a closed connection's TIME_WAIT does not count).</summary>
    private static bool PortInUse(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}
