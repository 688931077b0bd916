using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// A SaveChanges interceptor of the application that adds rows to the save it intercepts, registered before or
/// after the cache: the rows it adds are written by the save, so their table's cached queries must die. And one
/// that saves again from SavedChanges (an outbox): the nested save must not make the cache forget the outer one.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class InterceptorOrderTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rows_an_application_interceptor_adds_during_SavingChanges_invalidate_their_table(bool auditRegisteredAfterTheCache)
    {
        using var shop = new ShopHarness(redis);
        var tags = ShopQueries.Tags(shop);
        var t0 = tags.Warm();

        var builder = new DbContextOptionsBuilder<ShopContext>();
        if (!auditRegisteredAfterTheCache)
        {
            builder.AddInterceptors(new AuditInterceptor());
        }

        shop.ConfigureCached(builder);
        if (auditRegisteredAfterTheCache)
        {
            builder.AddInterceptors(new AuditInterceptor());
        }

        await using (var writer = new ShopContext(builder.Options))
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Trackball";
            await writer.SaveChangesAsync();
        }

        tags.AssertInvalidatedAndFresh(t0);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task A_save_nested_in_an_application_interceptors_SavedChanges_keeps_the_outer_saves_invalidation(bool outboxRegisteredAfterTheCache, bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var tags = ShopQueries.Tags(shop);
        var p0 = products.Warm();
        var t0 = tags.Warm();

        var builder = new DbContextOptionsBuilder<ShopContext>();
        if (!outboxRegisteredAfterTheCache)
        {
            builder.AddInterceptors(new OutboxInterceptor());
        }

        shop.ConfigureCached(builder);
        if (outboxRegisteredAfterTheCache)
        {
            builder.AddInterceptors(new OutboxInterceptor());
        }

        await using (var writer = new ShopContext(builder.Options))
        {
            (await writer.Products.SingleAsync(p => p.Id == ShopSeed.MouseId)).Name = "Trackball";
            if (async)
            {
                await writer.SaveChangesAsync();
            }
            else
            {
                writer.SaveChanges();
            }
        }

        // The outer save wrote Products, the nested one Tags: both must be read fresh.
        products.AssertInvalidatedAndFresh(p0);
        tags.AssertInvalidatedAndFresh(t0);
    }
}
