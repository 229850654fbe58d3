using Slipway.Core.Manifest;

namespace Slipway.Cli;

/// <summary>How every verb that reads the manifest itself refuses an invalid one: the same lines, the same count, exit 2.</summary>
internal static class CliManifest
{
    /// <summary>Past this, more lines help nobody; the count still says how many.</summary>
    private const int MaxPrinted = 100;

    /// <summary>The valid manifest at <paramref name="path"/>, or null once its errors (file:line:col each) are on stderr.</summary>
    public static ManifestLoadResult? Load(CliOutput output, string path, ManifestTarget target = ManifestTarget.Machine)
    {
        var result = ManifestLoader.LoadFile(path, target);
        if (result.IsValid)
        {
            return result;
        }

        WriteErrors(output.Error, result);
        return null;
    }

    public static void WriteErrors(TextWriter error, ManifestLoadResult result)
    {
        foreach (var line in result.FormattedErrors.Take(MaxPrinted))
        {
            error.WriteLine(line);
        }

        if (result.Errors.Count > MaxPrinted)
        {
            error.WriteLine($"... and {result.Errors.Count - MaxPrinted} more");
        }

        error.WriteLine(result.Errors.Count == 1 ? "1 error" : $"{result.Errors.Count} errors");
    }
}
