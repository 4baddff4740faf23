namespace FibQuant.Generators.Models;

/// <summary>What the design step needs for one declaration: the request and the design cache entry made for its spec, if any.</summary>
internal sealed record DesignInput(CodebookRequest Request, CachedDesign? Cached);
