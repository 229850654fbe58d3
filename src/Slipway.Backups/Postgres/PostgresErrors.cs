using Slipway.Core.Processes;

namespace Slipway.Backups.Postgres;

/// <summary>Turns libpq's stderr into the one-line cause an operator needs, naming the server but never the password.</summary>
internal static class PostgresErrors
{
    public static BackupException Explain(string tool, ToolResult result, PostgresSource source)
    {
        var stderr = result.Stderr;
        var where = $"{source.Host}:{source.Port}";
        if (Has(stderr, "password authentication failed"))
        {
            return new BackupException($"wrong password for user {source.User} at {where}");
        }

        if (Has(stderr, "no password supplied"))
        {
            return new BackupException($"the database at {where} asks for a password for user {source.User} and none was given");
        }

        if (Has(stderr, "Connection refused") || Has(stderr, "could not connect") || Has(stderr, "timeout expired")
            || Has(stderr, "could not translate host name") || Has(stderr, "No route to host"))
        {
            return new BackupException($"cannot reach the database at {where}: {Cause(result)}");
        }

        if (Has(stderr, "does not exist") && (Has(stderr, "database \"") || Has(stderr, "role \"")))
        {
            return new BackupException($"{Cause(result)} at {where}");
        }

        return new BackupException($"{tool} failed: {Cause(result)}");
    }

    /// <summary>The last line, without the <c>pg_dump: error:</c> and <c>connection to server ... failed:</c> preambles.</summary>
    public static string Cause(ToolResult result)
    {
        var line = result.LastErrorLine;
        foreach (var marker in new[] { "error: ", "FATAL:  ", "failed: " })
        {
            var at = line.LastIndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                line = line[(at + marker.Length)..];
            }
        }

        return line.Trim();
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.Ordinal);
}
