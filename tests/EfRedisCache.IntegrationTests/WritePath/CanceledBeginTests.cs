using EfRedisCache.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// A raw <c>BEGIN</c> canceled before it ran (the request was aborted as it started its unit of work) opened no
/// transaction: the connection must stay served from the cache, as after a defensive <c>ROLLBACK</c> that failed
/// (<see cref="PartialFailureWriteTests"/>). A pooled context keeps its connection object from lease to lease, so a
/// mark left on it would turn the cache off for that context for good; the application's own defensive
/// <c>ROLLBACK</c> afterwards must not keep it either.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CanceledBeginTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_BEGIN_canceled_before_it_ran_leaves_the_connection_served_from_the_cache(bool defensiveRollback)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var p0 = products.Warm();

        await using var writer = shop.NewContext();
        await writer.Database.OpenConnectionAsync();
        using (var canceled = new CancellationTokenSource())
        {
            await canceled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.Database.ExecuteSqlRawAsync("BEGIN", canceled.Token));
        }

        if (defensiveRollback)
        {
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => writer.Database.ExecuteSqlRawAsync("ROLLBACK"));
        }

        // No transaction was open, and none is.
        var before = shop.Counter.Queries;
        Assert.Equal(p0, products.ReadWith(writer));
        Assert.Equal(before, shop.Counter.Queries);
    }
}
