using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FibQuant.Generators.Models;

/// <summary>A source location as values (no syntax tree is kept alive by the pipeline's cache).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null) return null;
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    /// <summary>The location of a 1-based line and column in an additional file's text.</summary>
    public static LocationInfo InText(string path, SourceText text, int line, int column)
    {
        int lineIndex = System.Math.Max(0, System.Math.Min(line - 1, text.Lines.Count - 1));
        TextLine textLine = text.Lines[lineIndex];
        int position = System.Math.Min(textLine.Start + System.Math.Max(0, column - 1), textLine.End);
        var start = new LinePosition(lineIndex, position - textLine.Start);
        return new LocationInfo(path, new TextSpan(position, 0), new LinePositionSpan(start, start));
    }
}
