using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// One cached query a write test watches. <see cref="Warm"/> reads it twice and proves the second read was a
/// hit; after the write, <see cref="AssertInvalidatedAndFresh"/> proves the next read reached the database and
/// equals the uncached truth, and <see cref="AssertStillHit"/> proves a query the write did not touch stayed cached.
/// Reads go through a new cached context each time; the result is rendered as text so any difference shows.
/// </summary>
internal sealed class WatchedQuery(ShopHarness shop, string name, Func<ShopContext, string> read, IConnectionMultiplexer? connection = null)
{
    /// <summary>The same query, read through another multiplexer: another "process" sharing the Redis.</summary>
    public WatchedQuery Through(IConnectionMultiplexer other, string process) => new(shop, $"{name} ({process})", read, other);

    public string Name => name;

    public string Warm()
    {
        var first = Read(out _);
        var second = Read(out var queries);
        Assert.True(queries == 0, $"{name}: the second read should be a cache hit but reached the database {queries} time(s).");
        Assert.Equal(first, second);
        Assert.Equal(Truth(), second);
        return second;
    }

    /// <summary>The write changed this query's answer: the next cached read must reach the database and see it.</summary>
    public string AssertInvalidatedAndFresh(string before)
    {
        var truth = Truth();
        Assert.True(truth != before, $"{name}: the write did not change the truth, so the test proves nothing. Value: {truth}");
        var value = Read(out var queries);
        Assert.True(value == truth, $"{name}: stale read after the write.\n cached: {value}\n truth:  {truth}");
        Assert.True(queries > 0, $"{name}: the read after the write was served from the cache.");
        return value;
    }

    /// <summary>The write did not touch this query's tables: it must still be a hit, with the same value.</summary>
    public void AssertStillHit(string before)
    {
        var value = Read(out var queries);
        Assert.True(queries == 0, $"{name}: the write should not have invalidated this query, but the read reached the database.");
        Assert.Equal(before, value);
        Assert.Equal(Truth(), value);
    }

    /// <summary>Nothing was written (or it was rolled back): still a hit, and still the truth.</summary>
    public void AssertUnchangedHit(string before) => AssertStillHit(before);

    public string Truth()
    {
        using var context = shop.NewUncachedContext();
        return read(context);
    }

    public string Read(out int databaseQueries)
    {
        using var context = shop.NewContext(connection);
        var before = shop.Counter.Queries;
        var value = read(context);
        databaseQueries = shop.Counter.Queries - before;
        return value;
    }

    public string ReadWith(ShopContext context) => read(context);
}
