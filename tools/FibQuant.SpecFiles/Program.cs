using System;
using System.Diagnostics;
using System.IO;
using FibQuant.Design;

// Usage: dotnet run --project tools/FibQuant.SpecFiles -c Release -- <output folder>
// Designs the codebooks that are too large for the compiler and writes them as precomputed spec files.
string output = args.Length > 0 ? args[0] : "codebooks";
Directory.CreateDirectory(output);
(string Name, CodebookSpec Spec)[] designs =
{
    ("Kv128x4x256", new CodebookSpec(128, 4, 256, seed: 7)),
    ("Kv128x8x256", new CodebookSpec(128, 8, 256, seed: 7)),
};
foreach ((string name, CodebookSpec spec) in designs)
{
    var clock = Stopwatch.StartNew();
    Codebook codebook = CodebookDesigner.Design(spec, parallel: true);
    string path = Path.Combine(output, name + ".json");
    File.WriteAllText(path, CodebookSpecFile.Write(codebook, name, "FibQuant.Codebooks"));
    SpecFileParseResult check = CodebookSpecFile.Parse(File.ReadAllText(path));
    if (!check.Success || check.File!.Fingerprint != codebook.Fingerprint)
        throw new InvalidOperationException($"{path} does not read back: {check.Error}");
    Console.WriteLine($"{path}: {spec} fingerprint 0x{codebook.Fingerprint:X16} distortion {codebook.TrainingDistortion:G6} in {clock.Elapsed.TotalSeconds:F0} s");
}
