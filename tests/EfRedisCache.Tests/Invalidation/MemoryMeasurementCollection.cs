namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// Tests that measure the process's retained memory (<c>GC.GetTotalMemory</c>) run alone: what tests running beside them
/// keep alive meanwhile would count as retained by the code measured.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}
