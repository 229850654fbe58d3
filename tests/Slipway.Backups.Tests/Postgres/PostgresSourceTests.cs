using Slipway.Backups.Postgres;

namespace Slipway.Backups.Tests.Postgres;

public sealed class PostgresSourceTests
{
    [Fact]
    public void Parse_FullUrl_ReadsEveryPartAndDescribesWithoutPassword()
    {
        var source = PostgresSource.Parse("postgresql://app:p%40ss@db.internal:6543/shop");

        Assert.Equal(new PostgresSource("db.internal", 6543, "shop", "app", "p@ss"), source);
        Assert.Equal("app@db.internal:6543/shop", source.ToString());
        Assert.Equal("p@ss", source.ToEnvironment()["PGPASSWORD"]);
    }

    [Fact]
    public void Parse_NoUserOrPort_DefaultsToPostgresAnd5432()
    {
        Assert.Equal(new PostgresSource("localhost", 5432, "db", "postgres", null), PostgresSource.Parse("postgres://localhost/db"));
    }

    [Theory]
    [InlineData("mysql://u:secretpw@h/db")]
    [InlineData("postgresql://u:secretpw@h:5432/")]
    public void Parse_Invalid_NeverEchoesTheUrl(string url)
    {
        var error = Assert.Throws<BackupException>(() => PostgresSource.Parse(url));

        Assert.DoesNotContain("secretpw", error.Message, StringComparison.Ordinal);
    }
}
