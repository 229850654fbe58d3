using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using Slipway.Bench.Waf;

// bench/waf.sh passes --inProcess: no generated project to restore and build, which the partial
// NuGet mirror and the repository's analyzers would both get in the way of.
BenchmarkSwitcher.FromAssembly(typeof(InspectBenchmarks).Assembly).Run(args, DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default));
