using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace FibQuant.Generators.Helpers;

/// <summary>An immutable array with value equality: the cache boundary of the incremental pipeline.</summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly T[]? _array;

    public EquatableArray(T[] array) => _array = array;

    public static EquatableArray<T> Empty => new(Array.Empty<T>());

    public int Length => _array?.Length ?? 0;

    public bool IsEmpty => Length == 0;

    public T this[int index] => _array![index];

    public ReadOnlySpan<T> AsSpan() => _array ?? Array.Empty<T>();

    public bool Equals(EquatableArray<T> other) => AsSpan().SequenceEqual(other.AsSpan());

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        unchecked
        {
            int hash = 17;
            foreach (T item in AsSpan()) hash = hash * 31 + (item?.GetHashCode() ?? 0);
            return hash;
        }
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_array ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
}

/// <summary>Creation helpers for <see cref="EquatableArray{T}"/>.</summary>
internal static class EquatableArray
{
    public static EquatableArray<T> From<T>(IEnumerable<T> items) where T : IEquatable<T> => new(System.Linq.Enumerable.ToArray(items));

    public static EquatableArray<T> From<T>(ImmutableArray<T> items) where T : IEquatable<T> => new(items.IsDefault ? Array.Empty<T>() : System.Linq.Enumerable.ToArray(items));
}
