using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

namespace FibQuant.Benchmarks;

/// <summary>The smoke run's subset: d = 128 (or no dimension), Hadamard (or no rotation), quick codecs only.</summary>
internal sealed class SmokeFilter : IFilter
{
    public bool Predicate(BenchmarkCase benchmarkCase)
    {
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            string value = parameter.Value?.ToString() ?? "";
            bool keep = parameter.Name switch
            {
                "Dimension" => value == "128",
                "Rotation" => value == "Hadamard",
                "Codec" => value is "fp16" or "tq-b2" or "k2n16" or "k4n256-2stage" or "k2n16-hadamard" or "k4n256-haar",
                _ => true,
            };
            if (!keep) return false;
        }

        return true;
    }
}
