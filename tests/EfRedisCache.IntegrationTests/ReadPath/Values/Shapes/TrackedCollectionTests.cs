using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>
/// Primitive collections recorded by a miss in a context that already tracks the rows, so the recording reader fills
/// their cells with <c>GetValue</c>: on PostgreSQL that gives <c>date[]</c> as <see cref="DateTime"/>s,
/// <c>time[]</c> as <see cref="TimeSpan"/>s and <c>timestamptz[]</c> as <see cref="DateTime"/>s, where EF Core reads
/// <see cref="DateOnly"/>s, <see cref="TimeOnly"/>s and <see cref="DateTimeOffset"/>s.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TrackedCollectionTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Collections_of_dates_and_times_recorded_by_a_context_that_tracked_them_read_back_on_a_hit(string provider)
    {
        using ITestDatabase database = provider == "sqlite" ? new SqliteTestDatabase() : postgres.NewDatabase();
        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        AlmanacContext Cached() => new(database.CreateOptions<AlmanacContext>(b => b
            .UseRedisCacheAside(redis.Connection, o =>
            {
                o.KeyPrefix = prefix;
                o.RedisTimeout = ShopHarness.RoomyBudget;
                o.LocalCacheMaxBytes = 0;
            })
            .AddInterceptors(counter)));

        List<string> truth;
        await using (var context = new AlmanacContext(database.CreateOptions<AlmanacContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            context.Almanacs.AddRange(
                new Almanac
                {
                    Id = 1,
                    Days = [new DateOnly(2024, 2, 29), new DateOnly(1, 1, 1)],
                    Moments = [new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)],
                    Times = [new TimeOnly(23, 59, 59, 999), new TimeOnly(0, 0)],
                },
                new Almanac { Id = 2 });
            await context.SaveChangesAsync();
        }

        await using (var context = new AlmanacContext(database.CreateOptions<AlmanacContext>()))
        {
            truth = Describe(await context.Almanacs.OrderBy(a => a.Id).ToListAsync());
        }

        await using (var context = Cached())
        {
            await context.Almanacs.LoadAsync(); // not cacheable; the context now tracks both rows
            Assert.Equal(truth, Describe(await context.Almanacs.OrderBy(a => a.Id).Cacheable().ToListAsync()));
        }

        await using (var context = Cached())
        {
            Assert.Equal(truth, Describe(await context.Almanacs.OrderBy(a => a.Id).Cacheable().ToListAsync()));
        }

        Assert.Equal(2, counter.Queries); // the load and the miss: the last read was a hit
    }

    private static List<string> Describe(List<Almanac> almanacs) => [.. almanacs.Select(a => string.Join(
        "|",
        a.Id,
        a.Days.GetType().Name + ":" + string.Join(",", a.Days.Select(d => d.ToString("O", CultureInfo.InvariantCulture))),
        a.Moments.GetType().Name + ":" + string.Join(",", a.Moments.Select(m => m.ToString("O", CultureInfo.InvariantCulture))),
        a.Times.GetType().Name + ":" + string.Join(",", a.Times.Select(t => t.ToString("O", CultureInfo.InvariantCulture)))))];
}
