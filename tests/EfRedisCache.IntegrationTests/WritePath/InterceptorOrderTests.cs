using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// A SaveChanges interceptor of the application that adds rows to the save it intercepts, registered before or
/// after the cache: the rows it adds are written by the save, so their table's cached queries must die.
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
}
