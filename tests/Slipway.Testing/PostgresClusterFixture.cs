using Slipway.Backups.Postgres;
using Xunit;

namespace Slipway.Testing;

/// <summary>
/// A real PostgreSQL cluster per test class, holding a "shop" database with data in several tables, password
/// logins over TCP. It fails (never skips) when PostgreSQL is not installed; test.sh installs it.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    // Random per run: a scratch cluster needs a password, not a memorable one in the repository.
    public static readonly string Password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    public const string Database = "shop";

    private ScratchCluster? _cluster;

    internal PostgresBinaries Binaries { get; } = PostgresBinaries.Locate();

    internal ScratchCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster did not start");

    /// <summary>The shop database as postgres, with the password.</summary>
    internal PostgresSource Shop => Cluster.Source.WithDatabase(Database);

    public string ShopUrl => Url(Database);

    public string Url(string database) =>
        $"postgresql://postgres:{Uri.EscapeDataString(Password)}@127.0.0.1:{Cluster.Source.Port}/{database}";

    public async Task InitializeAsync()
    {
        _cluster = await ScratchCluster.StartAsync(Binaries, Password);
        await _cluster.SqlAsync($"create database {Database}");
        await _cluster.SqlAsync("""
            create table customers (id serial primary key, name text not null, email text unique);
            create table orders (id bigserial primary key, customer_id int not null references customers(id), total numeric(12,2), placed_at timestamptz not null);
            create table attachments (id int primary key, body bytea not null);
            create index orders_customer on orders(customer_id);
            create view big_orders as select * from orders where total > 500;
            insert into customers (name, email) select 'customer ' || g, 'c' || g || '@shop.test' from generate_series(1, 2000) g;
            insert into orders (customer_id, total, placed_at)
              select 1 + (g % 2000), (g * 37 % 100000) / 100.0, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' from generate_series(1, 20000) g;
            insert into attachments select g, decode(md5(g::text) || md5((g * 7)::text), 'hex') from generate_series(1, 500) g;
            """, Database);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Row counts and an md5 of every row of every table, in key order: equal snapshots mean equal data.</summary>
    internal async Task<string> SnapshotAsync(string database)
    {
        var parts = new List<string>();
        foreach (var table in new[] { "customers", "orders", "attachments" })
        {
            parts.Add(await Cluster.SqlAsync($"select '{table}:' || count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t.id)), '') from {table} t", database));
        }

        parts.Add(await Cluster.SqlAsync("select 'big_orders:' || count(*) from big_orders", database));
        return string.Join("\n", parts);
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="database"/> as postgres; what it prints, trimmed.</summary>
    internal Task<string> SqlAsync(string sql, string database) => Cluster.SqlAsync(sql, database);

    /// <summary>A new empty database in this cluster.</summary>
    internal async Task<string> CreateDatabaseAsync()
    {
        var name = "restored_" + Guid.NewGuid().ToString("N")[..8];
        await Cluster.SqlAsync($"create database {name}");
        return name;
    }
}
