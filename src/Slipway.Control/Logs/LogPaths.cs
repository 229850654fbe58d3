namespace Slipway.Control.Logs;

/// <summary>Where an instance's logs live under the state directory.</summary>
internal static class LogPaths
{
    public static string ServiceDirectory(string stateDirectory, string service) => Path.Combine(stateDirectory, "logs", service);

    public static string RawStdout(string stateDirectory, string service, string instance) =>
        Path.Combine(ServiceDirectory(stateDirectory, service), instance + ".stdout.raw");

    public static string RawStderr(string stateDirectory, string service, string instance) =>
        Path.Combine(ServiceDirectory(stateDirectory, service), instance + ".stderr.raw");

    public static string Stamped(string stateDirectory, string service, string instance) =>
        Path.Combine(ServiceDirectory(stateDirectory, service), instance + ".log");
}
