using System.Runtime.Intrinsics;

namespace FibQuant.Simd;

/// <summary>
/// The few float operations the codec kernels need, over one register of <see cref="Count"/> lanes. A kernel is written
/// once over <typeparamref name="TSelf"/> and the JIT compiles one copy per width (<see cref="Lanes512"/>,
/// <see cref="Lanes256"/>, <see cref="Lanes128"/>, <see cref="ScalarLanes"/>). Every operation is lane-wise and exactly
/// rounded (no fused multiply-add, no reassociation), so a lane computes the scalar sequence bit for bit on every width.
/// </summary>
internal interface IFloatLanes<TSelf> where TSelf : struct, IFloatLanes<TSelf>
{
    /// <summary>Lanes per register.</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs in hardware in this process (always true for <see cref="ScalarLanes"/>).</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>Lane i holds i (exact as a float for every index a kernel uses, far below 2^24).</summary>
    static abstract TSelf Indices { get; }

    static abstract TSelf Broadcast(float value);

    static abstract TSelf Load(ref float source, nuint offset);

    /// <summary>
    /// From 2·Count values read as Count pairs, the first of each pair (bit moves only). With <see cref="LoadOdd"/>, how
    /// the block search reads k = 2 blocks as two planes without transposing them first.
    /// </summary>
    static abstract TSelf LoadEven(ref float source, nuint offset);

    /// <summary>From 2·Count values read as Count pairs, the second of each pair.</summary>
    static abstract TSelf LoadOdd(ref float source, nuint offset);

    static abstract void Store(TSelf value, ref float target, nuint offset);

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary>Lane-wise left &lt; right as an all-ones / all-zeros mask.</summary>
    static abstract TSelf LessThan(TSelf left, TSelf right);

    /// <summary>Lane-wise mask ? ifTrue : ifFalse.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);

    static abstract float Lane(TSelf value, int lane);

    /// <summary>Stores the lanes, whole numbers in [0, 65535], as <see cref="Count"/> consecutive ushorts.</summary>
    static abstract void StoreAsUInt16(TSelf value, ref ushort target, nuint offset);

    /// <summary>
    /// One Walsh–Hadamard stage of the given stride inside the register (stride &lt; Count): the low lane of each pair
    /// becomes x + y, the high lane x − y. A per-width body because the lane permutation is a width-specific shuffle.
    /// </summary>
    static abstract TSelf HadamardStage(TSelf value, int stride);
}
