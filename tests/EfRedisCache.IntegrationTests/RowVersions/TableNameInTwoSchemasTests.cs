using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// Version keys name a table without its schema, so <c>sales."Orders"</c> (keyed by <c>Id</c>) makes
/// <c>WHERE "Id" = @id</c> over <c>archive."Orders"</c> (keyed by <c>(Id, Year)</c>) look like a key lookup. A save
/// of an archived order, whose composite key names no row, must still reach it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TableNameInTwoSchemasTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Fact]
    public async Task Saving_a_row_of_the_composite_keyed_table_kills_a_cached_read_of_it_by_the_id_column()
    {
        using var database = postgres.NewDatabase();
        var prefix = redis.NewKeyPrefix();
        TwoSchemasContext Cached() => new(database.CreateOptions<TwoSchemasContext>(b => b.UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = prefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        })));
        static Task<List<string>> NamesOf(TwoSchemasContext c) => c.ArchivedOrders.Where(o => o.Id == 5).Select(o => o.Name).Cacheable().ToListAsync();

        await using (var context = new TwoSchemasContext(database.CreateOptions<TwoSchemasContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            context.CurrentOrders.Add(new CurrentOrder { Id = 5, Name = "current" });
            context.ArchivedOrders.Add(new ArchivedOrder { Id = 5, Year = 2020, Name = "archived" });
            await context.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = Cached();
            Assert.Equal(["archived"], await NamesOf(context));
        }

        await using (var writer = Cached())
        {
            (await writer.ArchivedOrders.SingleAsync(o => o.Id == 5 && o.Year == 2020)).Name = "re-archived";
            await writer.SaveChangesAsync();
        }

        await using (var reader = Cached())
        {
            Assert.Equal(["re-archived"], await NamesOf(reader));
        }
    }
}
