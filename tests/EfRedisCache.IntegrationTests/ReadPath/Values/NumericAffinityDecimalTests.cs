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
        await using (var context = new NumericAmountContext(database.CreateOptions<NumericAmountContext>()))
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

        await RecordedValueComparison.AssertHitReadsAsTheDatabaseAsync(
            redis,
            database,
            (DbContextOptions<NumericAmountContext> options) => new NumericAmountContext(options),
            context => context.Amounts.OrderBy(row => row.Id),
            Describe,
            missTracksRows);
    }

    private static List<string> Describe(List<NumericAmount> amounts) => [.. amounts.Select(a => a.Amount.ToString(CultureInfo.InvariantCulture))];
}
