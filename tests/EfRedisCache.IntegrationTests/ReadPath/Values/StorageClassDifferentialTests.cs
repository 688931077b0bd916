using EfRedisCache.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// <see cref="StorageClassDifferential"/> in the culture and time zone the tests run in (the invariant culture, UTC on
/// the machines); <see cref="CultureZoneStorageClassDifferentialTests"/> runs it in others.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class StorageClassDifferentialTests(RedisServerFixture redis, ITestOutputHelper output)
{
    [Fact]
    public Task Every_storage_class_under_every_type_reads_from_the_cache_as_from_the_database() =>
        StorageClassDifferential.AssertCacheReadsAsTheDatabaseAsync(redis, output);
}
