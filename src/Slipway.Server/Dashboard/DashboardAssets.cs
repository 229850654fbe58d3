using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;

namespace Slipway.Server.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly (<c>Dashboard/wwwroot</c>, see the csproj): read and gzipped once,
/// so the binary is the whole dashboard and nothing is read from disk or fetched from elsewhere.
/// </summary>
internal sealed class DashboardAssets
{
    public const string ResourcePrefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    public static DashboardAssets Embedded { get; } = Load(typeof(DashboardAssets).Assembly);

    /// <summary>Every served path (e.g. <c>app.js</c>, <c>pages/overview.js</c>).</summary>
    public IEnumerable<string> Paths => _assets.Keys;

    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path);

    private static DashboardAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var path = name[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(System.IO.Path.GetExtension(path), out var type))
            {
                continue; // only the kinds of file the page loads are served
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var content = memory.ToArray();
            assets[path] = new DashboardAsset(path, type, content, Compress(content), "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"");
        }

        return new DashboardAssets(assets);
    }

    private static byte[] Compress(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
