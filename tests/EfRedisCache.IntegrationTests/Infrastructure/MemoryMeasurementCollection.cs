using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that measure the process's retained memory (<c>GC.GetTotalMemory</c>) run alone, after the other collections:
/// beside the PostgreSQL collection, what its tests kept for the process (EF Core's service providers, connection
/// pools) counted as retained by the cache, and a bound that held alone failed in a full run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "memory measurement";
}
