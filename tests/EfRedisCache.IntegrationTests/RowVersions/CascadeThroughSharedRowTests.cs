using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A foreign key declared by an owned type (or a table-split dependent) is a constraint on its owner's table: when
/// the database cascades a delete through it, it deletes the owner's row, and that row's own cascades follow. The
/// tables the delete reaches must include those of the owner's dependents, whose rows the change tracker never saw.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CascadeThroughSharedRowTests(RedisServerFixture redis, PostgresFixture postgres)
{
    [Theory]
    [InlineData("sqlite", "save")]
    [InlineData("sqlite", "execute-delete")]
    [InlineData("postgresql", "save")]
    [InlineData("postgresql", "execute-delete")]
    public async Task Deleting_a_carrier_kills_cached_reads_of_the_lines_the_database_deleted_through_the_owned_routes_row(string provider, string write)
    {
        using var database = provider == "sqlite" ? (ITestDatabase)new SqliteTestDatabase() : postgres.NewDatabase();
        var prefix = redis.NewKeyPrefix();
        ConsignmentContext Cached() => new(database.CreateOptions<ConsignmentContext>(b => b.UseRedisCacheAside(redis.Connection, o =>
        {
            o.KeyPrefix = prefix;
            o.RedisTimeout = ShopHarness.RoomyBudget;
        })));
        static Task<string?> LineByKey(ConsignmentContext c) => c.ConsignmentLines.Where(l => l.Id == 1).Select(l => l.Item).Cacheable().SingleOrDefaultAsync();
        static Task<int> LineCount(ConsignmentContext c) => c.ConsignmentLines.Cacheable().CountAsync();

        await using (var context = new ConsignmentContext(database.CreateOptions<ConsignmentContext>()))
        {
            await context.Database.EnsureCreatedAsync();
            var carrier = new Carrier { Id = 1, Name = "rail" };
            context.Carriers.Add(carrier);
            context.Consignments.Add(new Consignment
            {
                Id = 1,
                Reference = "C-1",
                Route = new ConsignmentRoute { Destination = "Lyon", Carrier = carrier },
                Lines = [new ConsignmentLine { Id = 1, Item = "crate" }],
            });
            await context.SaveChangesAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await using var context = Cached();
            Assert.Equal("crate", await LineByKey(context));
            Assert.Equal(1, await LineCount(context));
        }

        await using (var writer = Cached())
        {
            if (write == "save")
            {
                writer.Carriers.Remove(await writer.Carriers.SingleAsync(c => c.Id == 1)); // nothing else loaded: the database cascades
                await writer.SaveChangesAsync();
            }
            else
            {
                await writer.Carriers.Where(c => c.Id == 1).ExecuteDeleteAsync();
            }
        }

        await using (var context = new ConsignmentContext(database.CreateOptions<ConsignmentContext>()))
        {
            Assert.Equal(0, await context.ConsignmentLines.CountAsync()); // the database did cascade, through the consignment's row
        }

        await using (var reader = Cached())
        {
            Assert.Null(await LineByKey(reader));
            Assert.Equal(0, await LineCount(reader));
        }
    }
}
