namespace Slipway.Testing.Tests;

public sealed class TempDirectoryTests
{
    [Fact]
    public void Constructor_CreatesEmptyDirectoryUnderTempPath()
    {
        using var temp = new TempDirectory();

        Assert.True(Directory.Exists(temp.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
        Assert.StartsWith(Path.GetTempPath(), temp.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TwoInstances_DifferentDirectories()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();

        Assert.NotEqual(a.Path, b.Path);
    }

    [Fact]
    public void Dispose_WithNestedContent_DeletesEverything()
    {
        var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("a", "b"));
        File.WriteAllText(temp.Combine("a", "b", "file.txt"), "x");

        temp.Dispose();

        Assert.False(Directory.Exists(temp.Path));
    }

    [Fact]
    public void Dispose_DirectoryAlreadyDeleted_DoesNotThrow()
    {
        var temp = new TempDirectory();
        Directory.Delete(temp.Path);

        temp.Dispose();
        temp.Dispose();
    }

    [Fact]
    public void Combine_JoinsUnderPath()
    {
        using var temp = new TempDirectory();

        Assert.Equal(Path.Combine(temp.Path, "x", "y.txt"), temp.Combine("x", "y.txt"));
        Assert.Equal(temp.Path, temp.ToString());
    }
}
