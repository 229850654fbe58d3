using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Win32.SafeHandles;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Static;

/// <summary>
/// A revision served from a directory by the edge: the terminal handler of its routes, after the edge steps.
/// Every file is opened first and then checked by the path the kernel opened (<c>/proc/self/fd</c>), so a symbolic
/// link that leads out of the root is refused whatever the request spelled, and what is checked is what is sent.
/// </summary>
internal sealed partial class StaticSite
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly string _root;
    private readonly string _rootPrefix;

    public StaticSite(StaticSiteModel model)
    {
        Model = model;
        _root = RealPath(model.Root);
        _rootPrefix = _root.EndsWith('/') ? _root : _root + "/";
    }

    public StaticSiteModel Model { get; }

    /// <summary>The file for a request path: the file itself, a directory's index, the SPA's index for a page, or none.</summary>
    internal StaticFile? Find(string decodedPath, bool acceptsHtml, out bool isDirectory)
    {
        isDirectory = false;
        var relative = StaticPath.Relative(decodedPath);
        if (relative is null)
        {
            return null;
        }

        var wantsIndex = relative.Length == 0 || relative.EndsWith('/');
        var name = wantsIndex ? relative + Model.Index : relative;
        if (Open(name) is { } file)
        {
            return file;
        }

        if (!wantsIndex && Directory.Exists(Path.Combine(_root, relative)))
        {
            isDirectory = true;
            return null;
        }

        return Model.Spa && acceptsHtml && (wantsIndex || StaticPath.IsExtensionless(relative)) ? Open(Model.Index) : null;
    }

    /// <summary>The file, opened, when it is a regular file whose real path lies under the root.</summary>
    internal StaticFile? Open(string relative)
    {
        var path = Path.Combine(_root, relative);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }

        var real = new FileInfo("/proc/self/fd/" + handle.DangerousGetHandle().ToString(CultureInfo.InvariantCulture)).LinkTarget;
        if (real is null || !real.StartsWith(_rootPrefix, StringComparison.Ordinal))
        {
            handle.Dispose();
            return null;
        }

        return new StaticFile(handle, Path.GetFileName(path), real, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle));
    }

    internal static string ContentTypeOf(string fileName) =>
        ContentTypes.TryGetContentType(fileName, out var type)
            ? type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "application/json" or "image/svg+xml" ? type + "; charset=utf-8" : type
            : "application/octet-stream";

    /// <summary>The path with every symbolic link along it followed: the prefix a served file's real path must have.</summary>
    private static string RealPath(string path)
    {
        var current = Path.GetPathRoot(path) ?? "/";
        foreach (var part in Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = target.FullName;
            }
        }

        return current;
    }

    internal static bool AcceptsHtml(HttpRequest request)
    {
        foreach (var value in request.Headers.Accept)
        {
            if (value is not null && (value.Contains("text/html", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
