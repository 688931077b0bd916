using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// A decimal column of NUMERIC affinity on SQLite holds REALs and INTEGERs, which Microsoft.Data.Sqlite reads as
/// decimals through their text (<c>1.0e-05</c> gives 0.000010). A hit must give the same decimals, scale included,
/// also when the miss ran in a context that already tracked the rows (EF Core then reads only keys and the cache
/// records the other cells with <c>GetValue</c>).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class NumericAffinityDecimalTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hit_reads_decimals_stored_as_reals_as_the_database_does(bool missTracksRows)
    {
        using var database = new SqliteTestDatabase();
        var prefix = redis.NewKeyPrefix();
        NumericAmountContext Uncached() => new(database.CreateOptions<NumericAmountContext>());
        NumericAmountContext Cached() => new(database.CreateOptions<NumericAmountContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0;
            })));

        await using (var context = Uncached())
        {
            await context.Database.EnsureCreatedAsync();
            context.Amounts.AddRange(
                new NumericAmount { Id = 1, Amount = 0.00001m },
                new NumericAmount { Id = 2, Amount = 12.30m },
                new NumericAmount { Id = 3, Amount = 100000000000000000000m },
                new NumericAmount { Id = 4, Amount = 0.1m },
                new NumericAmount { Id = 5, Amount = 2.00m },
                new NumericAmount { Id = 6, Amount = 1234567.891m });
            await context.SaveChangesAsync();
        }

        List<string> truth;
        await using (var context = Uncached())
        {
            truth = Describe(await context.Amounts.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        }

        await using (var context = Cached())
        {
            if (missTracksRows)
            {
                await context.Amounts.ToListAsync();
            }

            await context.Amounts.OrderBy(a => a.Id).Cacheable().ToListAsync();
        }

        await using (var context = Cached())
        {
            Assert.Equal(truth, Describe(await context.Amounts.OrderBy(a => a.Id).Cacheable().ToListAsync()));
        }
    }

    private static List<string> Describe(List<NumericAmount> amounts) => [.. amounts.Select(a => a.Amount.ToString(CultureInfo.InvariantCulture))];
}
