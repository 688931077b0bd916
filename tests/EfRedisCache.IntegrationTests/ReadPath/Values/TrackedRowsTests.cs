using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// Invariant 1 when the context that misses already tracks the rows: EF Core then reads only the key columns
/// and takes the tracked entities, so the recording reader fills every other cell itself, with
/// <c>GetValue</c>. A fresh context that hits the entry reads those cells with the typed getters, and must get
/// what the provider's typed getters give — never another value, never an exception.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TrackedRowsTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("sqlite", 0L)]
    [InlineData("sqlite", -1L)]
    [InlineData("postgresql", 0L)]
    [InlineData("postgresql", -1L)]
    public async Task Rows_recorded_by_a_context_that_already_tracked_them_read_back_exactly_in_a_fresh_context(string provider, long localCacheMaxBytes)
    {
        using ITestDatabase database = provider == "sqlite" ? new SqliteTestDatabase() : postgres.NewDatabase();
        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        MeterContext Uncached() => new(database.CreateOptions<MeterContext>());
        MeterContext Cached() => new(database.CreateOptions<MeterContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                if (localCacheMaxBytes >= 0)
                {
                    o.LocalCacheMaxBytes = localCacheMaxBytes; // 0: every hit decodes Redis's bytes; -1: the default, hits kept in process
                }
            })
            .AddInterceptors(counter)));

        await using (var context = Uncached())
        {
            await context.Database.EnsureCreatedAsync();
            context.Meters.AddRange(
                new Meter { Id = 1, Reading = ulong.MaxValue, ReadAt = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), Samples = [1, 2] },
                new Meter { Id = 2, Reading = 7, ReadAt = new DateTime(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc), Samples = [] });
            await context.SaveChangesAsync();
            if (provider == "sqlite")
            {
                // Text written by another application, with an offset: Microsoft.Data.Sqlite 10 reads it as UTC.
                await context.Database.ExecuteSqlRawAsync("UPDATE \"Meters\" SET \"ReadAt\" = '2024-06-01 10:00:00+02:00' WHERE \"Id\" = 2");
            }
        }

        List<string> truth;
        await using (var context = Uncached())
        {
            truth = Describe(await context.Meters.AsNoTracking().OrderBy(m => m.Id).ToListAsync());
        }

        Assert.Equal($"1|{ulong.MaxValue}|", truth[0][..(3 + ulong.MaxValue.ToString(CultureInfo.InvariantCulture).Length)]);

        await using (var context = Cached())
        {
            await context.Meters.ToListAsync(); // not cacheable: the database, and now the context tracks both rows
            Assert.Equal(truth, Describe(await context.Meters.OrderBy(m => m.Id).Cacheable().ToListAsync())); // the miss
        }

        for (var hit = 0; hit < 2; hit++)
        {
            await using var context = Cached();
            Assert.Equal(truth, Describe(await context.Meters.AsNoTracking().OrderBy(m => m.Id).Cacheable().ToListAsync()));
        }

        Assert.Equal(2, counter.Queries); // the untracked read and the miss; both later reads were hits
    }

    [Fact]
    public async Task Every_shop_column_type_recorded_by_a_context_that_already_tracked_the_rows_reads_back_exactly()
    {
        using var shop = new ShopHarness(redis);
        List<ProductRow> truth;
        await using (var context = shop.NewUncachedContext())
        {
            truth = ReadPathProbe.Rows(await context.Products.AsNoTracking().OrderBy(p => p.Id).ToListAsync());
        }

        await using (var context = shop.NewContext())
        {
            await context.Products.ToListAsync(); // not cacheable; the context now tracks every product
            await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync(); // the miss, recorded from GetValue
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal(truth, ReadPathProbe.Rows(await context.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()));
        }

        Assert.Equal(2, shop.Counter.Queries);
    }

    private static List<string> Describe(List<Meter> meters) => meters
        .Select(m => string.Join(
            "|",
            m.Id,
            m.Reading.ToString(CultureInfo.InvariantCulture),
            m.ReadAt.Ticks.ToString(CultureInfo.InvariantCulture),
            m.ReadAt.Kind,
            m.Samples.GetType().Name,
            string.Join(",", m.Samples)))
        .ToList();
}
