using FibQuant.Design;

namespace FibQuant.Cli.Commands;

/// <summary>Loads codebooks from spec files, turning format errors into messages that name the file and position.</summary>
internal static class SpecFileIo
{
    public static Codebook Load(FileInfo path)
    {
        if (!path.Exists) throw new FileNotFoundException($"Spec file not found: {path.FullName}", path.FullName);
        SpecFileParseResult parsed = CodebookSpecFile.Parse(File.ReadAllText(path.FullName));
        if (!parsed.Success)
            throw new InvalidDataException($"{path.FullName}({parsed.Line},{parsed.Column}): {parsed.Error}");
        CodebookSpecFile file = parsed.File!;
        var spec = new CodebookSpec(file.Dimension, file.BlockSize, file.Codewords, file.Seed, file.Rotation, file.TrainingSamples, file.Restarts);
        return file.HasPrecomputedTable
            ? file.CreatePrecomputedCodebook(spec)
            : DesignRunner.DesignAll(new[] { (path.Name, spec) })[0];
    }
}
