using System.Globalization;

namespace Slipway.Backups.Postgres;

/// <summary>
/// Where a database is and how to log in. The password goes to tools as <c>PGPASSWORD</c> and never into
/// a record, a log line or a message: <see cref="ToString"/> and <see cref="Describe"/> leave it out.
/// </summary>
internal sealed record PostgresSource(string Host, int Port, string Database, string User, string? Password)
{
    /// <summary>Parses <c>postgresql://user:password@host:port/database</c> (or <c>postgres://</c>).</summary>
    /// <exception cref="BackupException">Not such a URL. The message never repeats the URL: it may hold a password.</exception>
    public static PostgresSource Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "postgresql" && uri.Scheme != "postgres"))
        {
            throw new BackupException("the database URL is not a postgresql://user@host:port/database URL");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw new BackupException("the database URL names no database (postgresql://user@host:port/DATABASE)");
        }

        var (user, password) = (uri.UserInfo.Split(':', 2)) switch
        {
            [var u, var p] => (Uri.UnescapeDataString(u), Uri.UnescapeDataString(p)),
            [var u] when u.Length > 0 => (Uri.UnescapeDataString(u), null),
            _ => ("postgres", (string?)null),
        };
        var host = uri.Host.Length == 0 ? "127.0.0.1" : uri.Host.Trim('[', ']');
        return new PostgresSource(host, uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port, database, user, password);
    }

    /// <summary>The same server, another database.</summary>
    public PostgresSource WithDatabase(string database) => this with { Database = database };

    /// <summary><c>user@host:port/database</c>, safe to record and print.</summary>
    public string Describe() => $"{User}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Database}";

    public override string ToString() => Describe();

    /// <summary>Connection settings as libpq environment variables, so nothing secret is in the argument list.</summary>
    public IReadOnlyDictionary<string, string> ToEnvironment()
    {
        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = Host,
            ["PGPORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["PGDATABASE"] = Database,
            ["PGUSER"] = User,
            ["PGCONNECT_TIMEOUT"] = "10",
            ["PGAPPNAME"] = "slipway-backup",
        };
        if (Password is not null)
        {
            env["PGPASSWORD"] = Password;
        }

        return env;
    }
}
