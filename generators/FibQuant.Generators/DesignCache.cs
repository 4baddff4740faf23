using System;
using System.Collections.Generic;
using FibQuant.Design;

namespace FibQuant.Generators;

/// <summary>
/// The last few designs by spec. The pipeline caches by request, and a request includes its location, so an edit that
/// only moves a declaration (typing above it in the same file) would otherwise rerun a multi-second design.
/// Bounded: at most <see cref="Capacity"/> codebooks are kept, least recently used first out.
/// </summary>
internal static class DesignCache
{
    public const int Capacity = 8;

    private static readonly object Gate = new();
    private static readonly LinkedList<Codebook> Recent = new();

    public static Codebook GetOrDesign(CodebookSpec spec, Func<Codebook> design)
    {
        lock (Gate)
        {
            for (LinkedListNode<Codebook>? node = Recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Spec.Equals(spec))
                {
                    Recent.Remove(node);
                    Recent.AddFirst(node);
                    return node.Value;
                }
            }
        }

        Codebook codebook = design();
        lock (Gate)
        {
            Recent.AddFirst(codebook);
            while (Recent.Count > Capacity) Recent.RemoveLast();
        }

        return codebook;
    }
}
