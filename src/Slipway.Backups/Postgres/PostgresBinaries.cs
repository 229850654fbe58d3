using Slipway.Core.Configuration;

namespace Slipway.Backups.Postgres;

/// <summary>
/// Where the PostgreSQL programs are. Debian puts them in <c>/usr/lib/postgresql/N/bin</c>, off PATH,
/// so PATH is the last place looked, not the first.
/// </summary>
internal sealed class PostgresBinaries
{
    public PostgresBinaries(string directory) => Directory = directory;

    public string Directory { get; }

    public string PgDump => Tool("pg_dump");

    public string PgRestore => Tool("pg_restore");

    public string Psql => Tool("psql");

    public string InitDb => Tool("initdb");

    public string PgCtl => Tool("pg_ctl");

    /// <summary>The path of <paramref name="name"/>; a clear error when it is not installed.</summary>
    /// <exception cref="BackupException">The program does not exist in <see cref="Directory"/>.</exception>
    public string Tool(string name)
    {
        var path = Path.Combine(Directory, name);
        return File.Exists(path)
            ? path
            : throw new BackupException($"{name} is not installed (looked in {Directory}); install the postgresql-client package");
    }

    /// <summary>
    /// <c>SLIPWAY_PG_BINDIR</c> when set, else the newest <c>/usr/lib/postgresql/*/bin</c> (a newer pg_dump
    /// dumps older servers; the reverse fails), else the directory of <c>pg_dump</c> on PATH.
    /// </summary>
    public static PostgresBinaries Locate(Func<string, string?>? environment = null)
    {
        environment ??= EnvironmentVariables.Get;
        if (environment("SLIPWAY_PG_BINDIR") is { Length: > 0 } configured)
        {
            return new PostgresBinaries(configured);
        }

        const string debian = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debian))
        {
            var newest = System.IO.Directory.GetDirectories(debian)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Dir, "pg_dump")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return new PostgresBinaries(newest.Dir);
            }
        }

        foreach (var dir in (environment("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "pg_dump")))
            {
                return new PostgresBinaries(dir);
            }
        }

        return new PostgresBinaries(debian + "/*/bin");
    }
}
