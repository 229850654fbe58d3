namespace Slipway.Control.State;

/// <summary>The port each stateful service without a written <c>port</c> was given at its first start, kept for good.</summary>
internal sealed partial class StateStore
{
    private void MigrateStateful() => Execute("""
        CREATE TABLE IF NOT EXISTS stateful_ports (service TEXT PRIMARY KEY, port INTEGER NOT NULL);
        """);

    public int? StatefulPort(string service)
    {
        lock (_lock)
        {
            using var command = Command("SELECT port FROM stateful_ports WHERE service = $s", null, ("$s", service));
            return command.ExecuteScalar() is long port ? (int)port : null;
        }
    }

    public void SaveStatefulPort(string service, int port)
    {
        lock (_lock)
        {
            Command("INSERT INTO stateful_ports (service, port) VALUES ($s, $p) ON CONFLICT (service) DO UPDATE SET port = $p", null,
                ("$s", service), ("$p", port)).ExecuteNonQuery();
        }
    }
}
