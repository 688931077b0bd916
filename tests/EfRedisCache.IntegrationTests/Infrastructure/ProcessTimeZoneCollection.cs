using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that change the process's local time zone (<c>TZ</c>, then <see cref="TimeZoneInfo.ClearCachedData"/>) run
/// alone, after the other collections: the machines run in UTC, where a conversion that wrongly takes local time gives
/// the right answer, and no other test may see the zone changed under it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTimeZoneCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "process time zone";
}
