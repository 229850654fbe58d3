using Slipway.Backups.Catalog;
using Slipway.Backups.Physical;
using Slipway.Backups.Wal;

namespace Slipway.Backups.Tests.Wal;

public sealed class WalSegmentsTests
{
    [Theory]
    [InlineData(1, "0/2000028", 16L << 20, "000000010000000000000002")]
    [InlineData(3, "1/FF000000", 16L << 20, "0000000300000001000000FF")]
    [InlineData(1, "A/7FFFFFF", 64L << 20, "000000010000000A00000001")]
    public void FileName_MatchesPostgresNaming(int timeline, string lsn, long segmentSize, string expected) =>
        Assert.Equal(expected, WalSegments.FileName(timeline, WalSegments.ParseLsn(lsn), segmentSize));

    [Fact]
    public void ParseWalPositions_ReadsPgBasebackupVerboseOutput()
    {
        const string stderr = """
            pg_basebackup: initiating base backup, waiting for checkpoint to complete
            pg_basebackup: checkpoint completed
            pg_basebackup: write-ahead log start point: 0/5000028 on timeline 2
            pg_basebackup: write-ahead log end point: 0/6000100
            pg_basebackup: base backup completed
            """;

        var physical = PhysicalBackupRunner.ParseWalPositions(stderr, 16 << 20);

        Assert.Equal(new PhysicalBackupRecord("0/5000028", "0/6000100", 2, "000000020000000000000005", "000000020000000000000006", 16 << 20), physical);
        Assert.Null(PhysicalBackupRunner.ParseWalPositions("pg_basebackup: error: connection failed", 16 << 20));
    }
}
