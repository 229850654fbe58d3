namespace Slipway.Testing.Tests;

public sealed class BuildOutputTests
{
    [Fact]
    public void File_NotBuilt_FailsNamingThePath()
    {
        var error = Assert.Throws<FileNotFoundException>(() => BuildOutput.File("src", "Slipway.Nowhere", "nowhere.dll"));

        Assert.Contains($"Slipway.Nowhere/bin/{BuildOutput.Configuration}/net10.0/nowhere.dll is not built", error.Message, StringComparison.Ordinal);
    }
}
