using System;
using System.Numerics;

namespace FibQuant.Design;

/// <summary>
/// What one Lloyd–Max run keeps across iterations (Yinyang-style bounds, Ding et al. 2015): per sample its assignment,
/// squared error, a global lower bound on the distance to every other codeword and, per codeword group, a lower bound
/// on the distance to the group's other codewords as of the update <see cref="Stamp"/> when it was last tightened;
/// <see cref="CumulativeDrift"/> brings a group bound up to date without touching it every iteration.
/// </summary>
internal sealed class AssignmentState
{
    /// <summary>Fewest codewords per group: a multiple of every vector width of doubles.</summary>
    private const int MinGroupSize = 16;

    /// <summary>
    /// 8 rather than 16: N = 256 designs ran about 15 % faster with half the bound memory to stream every iteration
    /// (measured on (128,8,256), (128,4,256), (64,2,256)). At most 31: the searched groups of one sample are an int bit mask.
    /// </summary>
    private const int MaxGroups = 8;

    /// <summary>
    /// The compiler's designs (N ≤ 256) keep at most 4 groups: once Hamerly's test has its own loop, the per-group bound
    /// work and branches cost more than the extra codewords a coarser group searches (two Lloyd–Max runs 6–14 % faster on
    /// (128,4,256), (128,8,256), (64,2,256), 15 % on (128,4,128); same bits). Larger N keeps 8, not re-measured.
    /// </summary>
    private const int MaxGroupsUpTo256 = 4;

    /// <summary>Cap on group bounds held (samples × groups), so large designs do not run out of memory.</summary>
    private const long MaxBounds = 1L << 24;

    public AssignmentState(int count, int blockSize, int codewords, int maxUpdates)
    {
        int groups = 1;
        int maxGroups = codewords <= 256 ? MaxGroupsUpTo256 : MaxGroups;
        while (codewords / (groups * 2) >= MinGroupSize && (long)count * groups * 2 <= MaxBounds && groups < maxGroups) groups *= 2;
        Groups = groups;
        GroupSize = codewords / groups;
        Assignment = new int[count];
        Error = new double[count];
        GlobalBound = new double[count];
        GroupBound = new double[(long)count * groups];
        Stamp = new int[count];
        CumulativeDrift = new double[(maxUpdates + 1) * groups];
        Search = new CodewordSearch(blockSize, codewords);
        BlockSize = blockSize;
    }

    public int[] Assignment { get; }

    public double[] Error { get; }

    /// <summary>Lower bound on the distance from sample i to every codeword but its own, current as of the last update.</summary>
    public double[] GlobalBound { get; }

    /// <summary>Sample i, group g at i·Groups + g: lower bound on the distance to the group's other codewords as of update Stamp[i].</summary>
    public double[] GroupBound { get; }

    /// <summary>The update count at which sample i's group bounds were last written.</summary>
    public int[] Stamp { get; }

    /// <summary>Update t, group g at t·Groups + g: the summed (rounded-up) largest drift of the group's codewords over updates 1…t.</summary>
    public double[] CumulativeDrift { get; }

    public int Groups { get; }

    public int GroupSize { get; }

    public CodewordSearch Search { get; }

    public int BlockSize { get; }

    /// <summary>Centroid updates done so far; 0 before the first assignment pass has a codebook to compare against.</summary>
    public int Updates { get; set; }

    public bool Initialized { get; set; }

    /// <summary>Largest drift of any codeword in the last update, rounded up.</summary>
    public double MaxDrift { get; set; }

    /// <summary>Scratch for one thread's broadcast sample coordinates.</summary>
    public Vector<double>[] NewBroadcast() => new Vector<double>[BlockSize];
}
