namespace Slipway.Backups.Postgres;

/// <summary>One-shot SQL through <c>psql</c>: no Npgsql dependency, and the same libpq errors as pg_dump.</summary>
internal static class Psql
{
    /// <summary>Runs <paramref name="sql"/> and returns its unaligned, tuples-only output, trimmed.</summary>
    /// <exception cref="BackupException">psql failed; connection problems are explained (unreachable, wrong password).</exception>
    public static async Task<string> QueryAsync(PostgresBinaries binaries, PostgresSource source, string sql, CancellationToken cancellationToken)
    {
        var output = new MemoryStream();
        var result = await PostgresTool.RunAsync(
            new ToolInvocation(binaries.Psql, ["-X", "-w", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]) { Environment = source.ToEnvironment() },
            stdout: (stream, ct) => stream.CopyToAsync(output, ct),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.IsSuccess
            ? System.Text.Encoding.UTF8.GetString(output.ToArray()).Trim()
            : throw PostgresErrors.Explain("psql", result, source);
    }
}
