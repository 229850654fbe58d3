namespace Slipway.Control.Logs;

/// <summary>Where an instance's logs live under the state directory.</summary>
internal static class LogPaths
{
    /// <summary>Every service's logs, one folder per service.</summary>
    public static string Root(string stateDirectory) => Path.Combine(stateDirectory, "logs");

    public static string ServiceDirectory(string stateDirectory, string service) => Path.Combine(Root(stateDirectory), service);

    public static string RawStdout(string stateDirectory, string service, string instance) =>
        Path.Combine(ServiceDirectory(stateDirectory, service), instance + ".stdout.raw");

    public static string RawStderr(string stateDirectory, string service, string instance) =>
        Path.Combine(ServiceDirectory(stateDirectory, service), instance + ".stderr.raw");

    public static string Stamped(string stateDirectory, string service, string instance) =>
        Path.Combine(ServiceDirectory(stateDirectory, service), instance + ".log");

    /// <summary>The service a stamped file belongs to: the name of its folder.</summary>
    public static string ServiceOf(string stampedPath) => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(stampedPath))) ?? "";

    /// <summary>
    /// The revision in an instance id <c>SERVICE-REVISION-SLOT</c> (the supervisor's naming); the service is known
    /// from the folder, the slot is after the last dash, so a revision may itself hold dashes. Empty when the id
    /// does not have that shape.
    /// </summary>
    public static string RevisionOf(string service, string instance)
    {
        var last = instance.LastIndexOf('-');
        return instance.StartsWith(service + "-", StringComparison.Ordinal) && last > service.Length
            ? instance[(service.Length + 1)..last]
            : "";
    }
}
