using System.Text;
using CsCheck;
using Slipway.Core.Manifest;
using Slipway.Testing;

namespace Slipway.Core.Tests.Manifest;

/// <summary>
/// Whatever bytes a user hands it, the loader answers with a manifest or with errors that
/// name a place, never with an exception, a hang or a memory blow-up. A failure shrinks to the
/// smallest mutation that shows it, named in the message with the seed that reproduces it.
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

    private static readonly byte[] InvalidUtf8 = [0xFF, 0xC3, 0x28, 0x80];

    [Fact]
    public void Load_MutatedExamples_NeverThrowsAndStaysBounded()
    {
        byte[][] seeds =
        [
            File.ReadAllBytes(RepositoryRoot.File("examples", "shop", "slipway.yaml")),
            "app: a\nservices:\n  s:\n    run: { command: x, args: [\"${PORT}\"] }\n    routes: [{ path: / }]\n"u8.ToArray(),
        ];

        Gen.Int[0, seeds.Length - 1].SelectMany(i => Mutations(seeds[i])).Sample(
            mutated =>
            {
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                var result = LoadOnThisThread(mutated.Bytes);
                var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

                Assert.True(result.Manifest is not null || result.Errors.Count > 0, "neither a manifest nor an error");
                Assert.All(result.FormattedErrors, line => Assert.Matches(@"^fuzz\.yaml:\d+:\d+: \S", line));
                Assert.True(allocated <= MaxAllocatedBytes, $"allocated {allocated / (1024 * 1024)} MB");
            },
            iter: Variants,
            print: mutated => mutated.Mutation);
    }

    private static ManifestLoadResult LoadOnThisThread(byte[] bytes)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "fuzz.yaml");
        File.WriteAllBytes(path, bytes);
        var result = ManifestLoader.LoadFile(path);
        return result with { File = "fuzz.yaml" };
    }

    /// <summary>One mutation of <paramref name="seed"/>, each kind as likely as the others, described for the failure message.</summary>
    private static Gen<(string Mutation, byte[] Bytes)> Mutations(byte[] seed)
    {
        var text = Encoding.UTF8.GetString(seed);
        var lines = text.Split('\n');
        var line = Gen.Int[0, lines.Length - 1];
        return Gen.OneOf<(string, byte[])>(
            line.Select(i => ($"delete line {i}", Utf8(lines.Where((_, j) => j != i)))),
            Gen.Select(Gen.Int[0, text.Length - 1], Gen.Int[1, 199], (start, length) =>
                ($"delete {length} chars at {start}", Encoding.UTF8.GetBytes(text.Remove(start, Math.Min(length, text.Length - start))))),
            Gen.Int[0, seed.Length - 1].Select(length => ($"truncate to {length} bytes", seed[..length])),
            Gen.Select(line, Gen.Int[0, Replacements.Length - 1], (i, r) => ($"line {i} set to {Replacements[r]}", Utf8(SwapValue(lines, i, Replacements[r])))),
            Gen.Select(line, Gen.Int[50, 4999], (i, depth) =>
                ($"nest {depth} deep at line {i}", Utf8(Insert(lines, i, "x-deep: " + new string('[', depth) + new string(']', depth))))),
            Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Int[1, InvalidUtf8.Length], (at, count) =>
                ($"{count} invalid utf-8 bytes at {at}", (byte[])[.. seed[..at], .. InvalidUtf8[..count], .. seed[at..]])),
            line.Select(i => ($"duplicate line {i}", Utf8(Insert(lines, i, lines[i])))),
            Gen.Select(line, Gen.Bool, (i, indent) => ($"re-indent line {i}", Utf8(lines.Select((l, j) => j != i ? l : (indent ? "   " : "") + l.TrimStart())))),
            Gen.Const(() => ("alias bomb", Utf8(AliasBomb(lines)))),
            Gen.Int[0, text.Length - 1].Select(at => ($"control chars at {at}", Encoding.UTF8.GetBytes(text.Insert(at, "\t\0\u001b\r")))),
            Gen.Select(line, Gen.Int[20, 4999], (i, digits) => ($"{digits}-digit number at line {i}", Utf8(Insert(lines, i, "    replicas: " + new string('9', digits))))));
    }

    private static IEnumerable<string> SwapValue(string[] lines, int index, string value) =>
        lines.Select((l, j) => j == index && l.IndexOf(": ", StringComparison.Ordinal) is var colon and >= 0 ? l[..(colon + 2)] + value : l);

    private static IEnumerable<string> Insert(string[] lines, int index, string line) => [.. lines[..index], line, .. lines[index..]];

    // Eight levels of ten aliases each: 10^8 nodes if expanded.
    private static IEnumerable<string> AliasBomb(string[] lines)
    {
        List<string> bomb = ["x-b0: &b0 [a, a, a, a, a, a, a, a, a, a]"];
        for (var i = 1; i < 8; i++)
        {
            bomb.Add($"x-b{i}: &b{i} [" + string.Join(", ", Enumerable.Repeat($"*b{i - 1}", 10)) + "]");
        }

        return [lines[0], .. bomb, .. lines[1..]];
    }

    private static byte[] Utf8(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines));
}
