using BenchmarkDotNet.Attributes;
using EfRedisCache.Storage;

namespace EfRedisCache.Benchmarks.Benchmarks;

/// <summary>
/// PostgreSQL array cells (<c>List&lt;string&gt;</c>, <c>int?[]</c>): what a replay pays per list cell it hands out
/// (a copy) and what decoding pays to build a list, through <see cref="CollectionShape"/>'s kept delegates against
/// the reflection the codec used before (<see cref="Activator.CreateInstance(Type, object[])"/> and
/// <see cref="Type.MakeGenericType"/> per value), side by side in one run. No servers.
/// </summary>
[MemoryDiagnoser]
public class CollectionCodecBenchmarks
{
    private readonly List<string> _tags = ["alpha", "beta", "gamma", "delta"];
    // Typed as Array, as the decoder holds it: a string[] typed as such would bind to Activator's params object[].
    private readonly Array _decodedTags = new[] { "alpha", "beta", "gamma", "delta" };
    private readonly int?[] _scores = [1, null, 3];

    /// <summary>The replay's copy of a list cell before: reflection over the list's constructors.</summary>
    [Benchmark(Baseline = true)]
    public object CopyList_Reflection() => Activator.CreateInstance(_tags.GetType(), _tags)!;

    [Benchmark]
    public object CopyList_Shape() => MutableValues.Copy(_tags);

    [Benchmark]
    public object CopyNullableArray_Shape() => MutableValues.Copy(_scores);

    /// <summary>Decoding's last step before: the list type made and its constructor found by reflection, per value.</summary>
    [Benchmark]
    public object ListFromDecodedArray_Reflection()
        => Activator.CreateInstance(typeof(List<>).MakeGenericType(typeof(string)), _decodedTags)!;

    [Benchmark]
    public object ListFromDecodedArray_Shape()
        => CollectionShape.ForDecoding(ValueTypeCode.String, nullable: false, isList: true).FromArray(_decodedTags);
}
