using FibQuant.Design;

namespace FibQuant.Cli.Commands;

/// <summary>Loads codebooks from spec files, turning every problem of the file into one message that names it.</summary>
internal static class SpecFileIo
{
    /// <exception cref="UsageException">The file is missing, malformed, has invalid spec fields or a table that fails its fingerprint.</exception>
    public static Codebook Load(FileInfo path)
    {
        if (!path.Exists) throw new UsageException($"--spec-file: no file at {path.FullName}.");
        SpecFileParseResult parsed = CodebookSpecFile.Parse(File.ReadAllText(path.FullName));
        if (!parsed.Success)
            throw new UsageException($"--spec-file: {path.FullName}({parsed.Line},{parsed.Column}): {parsed.Error}");
        CodebookSpecFile file = parsed.File!;
        SpecError error = file.TryCreateSpec(out CodebookSpec? spec);
        if (error.IsError) throw new UsageException($"--spec-file: {path.FullName}: {error.Message}");
        if (!file.HasPrecomputedTable) return DesignRunner.DesignAll(new[] { (path.Name, spec!) })[0];
        try
        {
            return file.CreatePrecomputedCodebook(spec!);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--spec-file: {path.FullName}: {e.Message.Split('\n')[0]} Regenerate it with 'fibquant design'.");
        }
    }
}
