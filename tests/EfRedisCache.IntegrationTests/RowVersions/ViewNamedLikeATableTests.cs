using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// The scanners name a source without its schema, so a view that shares its name with a table of the model
/// (<c>reporting."Items"</c> beside <c>public."Items"</c>) was read as that table: a read of the view depended on the
/// table alone (on one row of it, for a read by id), and a write to another table under the view left it stale.
/// A query over a view depends on every write to the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ViewNamedLikeATableTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("by id")]
    [InlineData("list")]
    public async Task A_write_to_a_table_under_the_view_kills_a_cached_read_of_the_view(string read)
    {
        using var database = postgres.NewDatabase();
        var prefix = redis.NewKeyPrefix();
        ReportingViewContext Cached() => new(database.CreateOptions<ReportingViewContext>(b => b.UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = prefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        })));
        async Task<string> TitleOf(ReportingViewContext c) => read == "by id"
            ? await c.Reports.Where(r => r.Id == 1).Select(r => r.Title).Cacheable().SingleAsync()
            : (await c.Reports.Select(r => r.Title).Cacheable().ToListAsync()).Single();

        await using (var context = new ReportingViewContext(database.CreateOptions<ReportingViewContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            await context.Database.ExecuteSqlRawAsync(ReportingViewContext.CreateView);
            context.Labels.Add(new Label { Id = 7, Text = "red" });
            context.Items.Add(new LabeledItem { Id = 1, Name = "cup", LabelId = 7 });
            await context.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = Cached();
            Assert.Equal("cup / red", await TitleOf(context));
        }

        await using (var writer = Cached())
        {
            (await writer.Labels.SingleAsync(l => l.Id == 7)).Text = "blue";
            await writer.SaveChangesAsync();
        }

        await using (var context = Cached())
        {
            Assert.Equal("cup / blue", await TitleOf(context));
        }
    }
}
