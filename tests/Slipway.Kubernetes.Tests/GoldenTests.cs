using System.Text;
using Slipway.Core.Manifest;
using Slipway.Testing;

namespace Slipway.Kubernetes.Tests;

/// <summary>
/// Every example (<c>examples/*/slipway.yaml</c>) renders exactly its golden file in Golden/: every object of every
/// file, and the notes, reviewed by eye once and held here. A new example needs its golden, written by
/// <c>SLIPWAY_UPDATE_GOLDEN=1 dotnet test tests/Slipway.Kubernetes.Tests --filter GoldenTests</c> (then read it, and
/// commit it); the same command takes a deliberate change of the output. `render kubernetes` refuses a manifest with a
/// static site (its files are a directory on this machine): such an example's golden holds the refusal, then the
/// render of the rest of it, the static services left out, so the other services' objects stay held.
/// </summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Examples => new(Directory.EnumerateDirectories(RepositoryRoot.File("examples"))
        .Where(d => File.Exists(Path.Combine(d, "slipway.yaml"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Render_Example_MatchesItsGoldenFile(string example)
    {
        var path = RepositoryRoot.File("examples", example, "slipway.yaml");
        var text = new StringBuilder();
        text.Append("# slipway render kubernetes of examples/").Append(example).Append("/slipway.yaml, held by GoldenTests.\n");
        var forCluster = ManifestLoader.LoadFile(path, ManifestTarget.Kubernetes);
        KubernetesRender render;
        if (forCluster.IsValid)
        {
            render = KubernetesRenderer.Render(forCluster.Manifest!, forCluster.Map);
        }
        else
        {
            foreach (var error in forCluster.FormattedErrors)
            {
                text.Append("# refused: ").Append(error.Replace(path, $"examples/{example}/slipway.yaml", StringComparison.Ordinal)).Append('\n');
            }

            var machine = ManifestLoader.LoadFile(path);
            Assert.True(machine.IsValid, string.Join("\n", machine.FormattedErrors));
            var withoutSites = machine.Manifest! with { Services = machine.Manifest!.Services.Where(s => s.Value.Static is null).ToDictionary() };
            Assert.All(forCluster.FormattedErrors, e => Assert.Contains(".static is not supported yet by `render kubernetes`", e, StringComparison.Ordinal));
            text.Append("# below: the render without the static services ").Append(string.Join(", ", machine.Manifest.Services.Where(s => s.Value.Static is not null).Select(s => s.Key))).Append('\n');
            render = KubernetesRenderer.Render(withoutSites, machine.Map);
        }

        foreach (var note in render.Notes)
        {
            text.Append("# note: ").Append(note.Path).Append(' ').Append(note.Message).Append('\n');
        }

        text.Append(render.ToListing());
        var golden = RepositoryRoot.File("tests", "Slipway.Kubernetes.Tests", "Golden", example + ".yaml");
        if (Environment.GetEnvironmentVariable("SLIPWAY_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, text.ToString());
        }

        Assert.True(File.Exists(golden), $"examples/{example} has no golden file: SLIPWAY_UPDATE_GOLDEN=1 dotnet test tests/Slipway.Kubernetes.Tests --filter GoldenTests, then review {golden} and commit it");
        Assert.Equal(File.ReadAllText(golden), text.ToString());
    }
}
