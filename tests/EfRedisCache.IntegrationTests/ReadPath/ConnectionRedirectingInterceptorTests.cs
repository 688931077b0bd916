using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// An interceptor registered after the cache that moves the command to another database (shard routing) runs it
/// where the key's database identity does not say: a hit must not serve the keyed database's rows, and a miss must
/// not store the other database's rows under the keyed database's key (DESIGN.md invariant 6, no cross-talk).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ConnectionRedirectingInterceptorTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_hit_whose_command_an_interceptor_after_the_cache_moved_to_another_database_reads_that_database()
    {
        using var shop = new ShopHarness(redis);
        using var shard = NewShardWithRenamedKeyboard();
        using var redirect = new ConnectionRedirectInterceptor(shard.ConnectionString);
        await using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", (await NamesAsync(context))[0]);
        }

        await using var routed = new ShopContext(Routed(shop, redirect));
        Assert.Equal("Shard keyboard", (await NamesAsync(routed))[0]);
    }

    [Fact]
    public async Task Rows_a_miss_read_from_the_database_an_interceptor_after_the_cache_moved_it_to_are_never_served_for_the_keyed_database()
    {
        using var shop = new ShopHarness(redis);
        using var shard = NewShardWithRenamedKeyboard();
        using var redirect = new ConnectionRedirectInterceptor(shard.ConnectionString);
        await using (var routed = new ShopContext(Routed(shop, redirect)))
        {
            Assert.Equal("Shard keyboard", (await NamesAsync(routed))[0]);
        }

        await using var context = shop.NewContext();
        Assert.Equal("Keyboard", (await NamesAsync(context))[0]);
    }

    /// <summary>Another database with the shop's schema and rows, the keyboard renamed.</summary>
    private static SqliteTestDatabase NewShardWithRenamedKeyboard()
    {
        var shard = new SqliteTestDatabase();
        using var context = new ShopContext(shard.CreateOptions<ShopContext>());
        context.Database.EnsureCreated();
        ShopSeed.Seed(context);
        context.Database.ExecuteSqlRaw("UPDATE \"Products\" SET \"Name\" = 'Shard keyboard' WHERE \"Id\" = 1");
        return shard;
    }

    private static DbContextOptions<ShopContext> Routed(ShopHarness shop, ConnectionRedirectInterceptor redirect)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>();
        shop.ConfigureCached(builder).AddInterceptors(redirect);
        return builder.Options;
    }

    private static Task<List<string>> NamesAsync(ShopContext context)
        => context.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync();
}
