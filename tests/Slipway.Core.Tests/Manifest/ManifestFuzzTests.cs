using System.Text;
using Slipway.Core.Manifest;
using Slipway.Testing;

namespace Slipway.Core.Tests.Manifest;

/// <summary>
/// Whatever bytes a user hands it, the loader answers with a manifest or with errors that
/// name a place, never with an exception, a hang or a memory blow-up.
/// </summary>
public sealed class ManifestFuzzTests
{
    private const int Variants = 1500;
    private const long MaxAllocatedBytes = 200L * 1024 * 1024;

    private static readonly string[] Replacements =
    [
        "-1", "0", "99999999999999999999999", "1e308", "NaN", "-.inf", "true", "yes", "~", "\"\"", "[]", "{}",
        "[[[[", "{ a: b", "*nope", "&x", "!!binary AAAA", "\"\\u0000\"", "5x", "10/q", "101%", "env:", "${X}",
        "'unterminated", "- a\n- b", "|\n  block", "\t", "0x1F", "::", "@daily", "? complex : key",
    ];

    [Fact]
    public void Load_MutatedExamples_NeverThrowsAndStaysBounded()
    {
        var seeds = new[]
        {
            File.ReadAllBytes(RepositoryRoot.File("examples", "shop", "slipway.yaml")),
            "app: a\nservices:\n  s:\n    run: { command: x, args: [\"${PORT}\"] }\n    routes: [{ path: / }]\n"u8.ToArray(),
        };
        var random = new Random(20261121);
        var failures = new List<string>();

        for (var i = 0; i < Variants; i++)
        {
            var seed = seeds[i % seeds.Length];
            var (mutation, bytes) = Mutate(seed, random);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var result = LoadOnThisThread(bytes);
                if (result.Manifest is null && result.Errors.Count == 0)
                {
                    failures.Add($"#{i} {mutation}: neither a manifest nor an error");
                }

                foreach (var line in result.FormattedErrors)
                {
                    if (!System.Text.RegularExpressions.Regex.IsMatch(line, @"^fuzz\.yaml:\d+:\d+: \S"))
                    {
                        failures.Add($"#{i} {mutation}: badly formed error: {line}");
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add($"#{i} {mutation}: {e.GetType().Name}: {e.Message}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (allocated > MaxAllocatedBytes)
            {
                failures.Add($"#{i} {mutation}: allocated {allocated / (1024 * 1024)} MB");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    private static ManifestLoadResult LoadOnThisThread(byte[] bytes)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "fuzz.yaml");
        File.WriteAllBytes(path, bytes);
        var result = ManifestLoader.LoadFile(path);
        return result with { File = "fuzz.yaml" };
    }

    private static (string Mutation, byte[] Bytes) Mutate(byte[] seed, Random random)
    {
        var text = Encoding.UTF8.GetString(seed);
        var lines = text.Split('\n').ToList();
        switch (random.Next(11))
        {
            case 0:
                lines.RemoveAt(random.Next(lines.Count));
                return ("delete line", Utf8(lines));
            case 1:
                var start = random.Next(text.Length);
                return ("delete span", Encoding.UTF8.GetBytes(text.Remove(start, Math.Min(random.Next(1, 200), text.Length - start))));
            case 2:
                return ("truncate", seed[..random.Next(seed.Length)]);
            case 3:
                var line = random.Next(lines.Count);
                var colon = lines[line].IndexOf(": ", StringComparison.Ordinal);
                if (colon >= 0)
                {
                    lines[line] = lines[line][..(colon + 2)] + Replacements[random.Next(Replacements.Length)];
                }

                return ("swap value", Utf8(lines));
            case 4:
                var depth = random.Next(50, 5000);
                lines.Insert(random.Next(lines.Count), "x-deep: " + new string('[', depth) + new string(']', depth));
                return ($"nest {depth}", Utf8(lines));
            case 5:
                var bytes = seed.ToList();
                bytes.InsertRange(random.Next(bytes.Count), new byte[] { 0xFF, 0xC3, 0x28, 0x80 }.Take(random.Next(1, 5)));
                return ("invalid utf-8", [.. bytes]);
            case 6:
                var copy = random.Next(lines.Count);
                lines.Insert(copy, lines[copy]);
                return ("duplicate line", Utf8(lines));
            case 7:
                var indent = random.Next(lines.Count);
                lines[indent] = (random.Next(2) == 0 ? "   " : "") + lines[indent].TrimStart();
                return ("re-indent", Utf8(lines));
            case 8:
                lines.Insert(1, "x-b0: &b0 [a, a, a, a, a, a, a, a, a, a]");
                for (var i = 1; i < 8; i++)
                {
                    lines.Insert(i + 1, $"x-b{i}: &b{i} [" + string.Join(", ", Enumerable.Repeat($"*b{i - 1}", 10)) + "]");
                }

                return ("alias bomb", Utf8(lines));
            case 9:
                var at = random.Next(text.Length);
                return ("control chars", Encoding.UTF8.GetBytes(text.Insert(at, "\t\0\u001b\r")));
            default:
                var huge = random.Next(lines.Count);
                lines.Insert(huge, "    replicas: " + new string('9', random.Next(20, 5000)));
                return ("huge number", Utf8(lines));
        }
    }

    private static byte[] Utf8(List<string> lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines));
}
