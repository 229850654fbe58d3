using System.Security.Cryptography;
using Slipway.Core.Primitives;

namespace Slipway.Control.Secrets;

/// <summary>
/// The 256-bit key secrets are encrypted under: <c>SLIPWAY_MASTER_KEY</c> (base64 or hex) when set, else
/// <c>&lt;state-dir&gt;/master.key</c>, created on first use with mode 0600.
/// </summary>
internal static class MasterKey
{
    public const string EnvironmentVariable = "SLIPWAY_MASTER_KEY";
    public const string FileName = "master.key";
    public const int Length = 32;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <param name="mayCreate">False when secrets exist: a new key could not read them, so there must be one already.</param>
    /// <exception cref="InvalidOperationException">No usable key; the message names the fix.</exception>
    public static byte[] Load(string stateDirectory, Func<string, string?> environment, bool mayCreate = true)
    {
        if (environment(EnvironmentVariable) is { Length: > 0 } text)
        {
            return Parse(text.Trim()) ?? throw new InvalidOperationException(
                $"{EnvironmentVariable} must be {Length} bytes, written as base64 or hex");
        }

        var path = Path.Combine(stateDirectory, FileName);
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
            {
                throw new InvalidOperationException(
                    $"{path} may be read by users other than its owner (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); "
                    + $"run `chmod 600 {path}`, and treat the key as known to them: whoever holds it can read every secret");
            }

            return Parse(File.ReadAllText(path).Trim())
                ?? throw new InvalidOperationException($"{path} does not hold a {Length}-byte key (base64 or hex)");
        }

        if (!mayCreate)
        {
            throw new InvalidOperationException(
                $"{Path.Combine(stateDirectory, SecretStore.FileName)} holds secrets, but there is no master key to read them: "
                + $"set {EnvironmentVariable} to the key they were stored under, or put it back in {path} (mode 0600)");
        }

        Directory.CreateDirectory(stateDirectory);
        var key = RandomNumberGenerator.GetBytes(Length);
        PrivateFile.WriteNew(path, Convert.ToBase64String(key) + "\n");
        return key;
    }

    public static byte[]? Parse(string text)
    {
        try
        {
            if (text.Length == Length * 2 && text.All(Uri.IsHexDigit))
            {
                return Convert.FromHexString(text);
            }

            var bytes = Convert.FromBase64String(text);
            return bytes.Length == Length ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
