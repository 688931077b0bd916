using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>The read path survives bad entries and big results, and is cheap to configure per context.</summary>
[Collection(RedisCollection.Name)]
public sealed class ReadPathRobustnessTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("random")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public async Task Corrupt_entry_is_a_miss_that_returns_correct_rows(string corruption)
    {
        // Nothing kept in process: the corrupt payload must be read from Redis to be tested.
        using var shop = new ShopHarness(redis, o => o.LocalCacheMaxBytes = 0);
        var truth = await ReadRows(shop);
        Assert.Equal(truth, await ReadRows(shop));
        Assert.Equal(1, shop.Counter.Queries);

        var entry = Assert.Single(ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":q:*"));
        var database = redis.Connection.GetDatabase();
        var original = (byte[])(await database.HashGetAsync(entry, "d"))!;
        byte[] garbage = corruption switch
        {
            "random" => RandomBytes(original.Length),
            "truncated" => original[..(original.Length / 2)],
            _ => [],
        };
        await database.HashSetAsync(entry, "d", garbage);

        Assert.Equal(truth, await ReadRows(shop));
        Assert.Equal(2, shop.Counter.Queries); // a miss, not an exception and not garbage rows

        Assert.Equal(truth, await ReadRows(shop));
        Assert.Equal(2, shop.Counter.Queries); // the miss stored a good entry again
    }

    [Fact]
    public async Task An_array_the_application_writes_into_while_a_miss_streams_is_cached_as_the_database_returned_it()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewContext())
        {
            await foreach (var product in context.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().AsAsyncEnumerable())
            {
                if (product.Image is { Length: > 0 } image)
                {
                    image[0] = 0x42; // the rows are still being read and recorded
                }
            }
        }

        await using (var context = shop.NewContext())
        {
            var keyboard = (await context.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()).First();
            Assert.Equal(1, shop.Counter.Queries); // a hit on what the miss stored
            Assert.Equal([0x00, 0xFF, 0x10, 0x80], keyboard.Image);
        }
    }

    [Fact]
    public async Task Result_larger_than_MaxEntryBytes_is_returned_but_not_stored()
    {
        using var shop = new ShopHarness(redis, o => o.MaxEntryBytes = 1024);
        await using (var context = shop.NewUncachedContext())
        {
            for (var i = 0; i < 200; i++)
            {
                context.Products.Add(new Product
                {
                    Id = 1000 + i,
                    Name = $"Bulk product {i}",
                    Price = i + 0.5m,
                    CreatedAt = ShopSeed.CreatedAt,
                    Sku = Guid.NewGuid(),
                    CategoryId = ShopSeed.BooksCategoryId,
                });
            }

            await context.SaveChangesAsync();
        }

        for (var i = 1; i <= 2; i++)
        {
            await using var context = shop.NewContext();
            var rows = await context.Products.OrderBy(p => p.Id).Cacheable().ToListAsync();
            Assert.Equal(ShopSeed.ProductCount + 200, rows.Count);
            Assert.Equal("Bulk product 199", rows[^1].Name);
            Assert.Equal(i, shop.Counter.Queries); // each read is a miss
        }

        Assert.Empty(ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":q:*"));

        // A small result under the same settings is still cached.
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            await context.Categories.Cacheable().ToListAsync();
        }

        Assert.Equal(3, shop.Counter.Queries);
    }

    [Fact]
    public async Task Sixty_cached_contexts_share_one_internal_service_provider()
    {
        using var shop = new ShopHarness(redis);
        IModelSource? first = null;
        for (var i = 0; i < 60; i++)
        {
            // Fresh options every time, as AddDbContext builds them per scope.
            var options = shop.Database.CreateOptions<ShopContext>(b => b
                .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
                .AddInterceptors(shop.Counter)
                .ConfigureWarnings(w => w.Throw(CoreEventId.ManyServiceProvidersCreatedWarning)));
            await using var context = new ShopContext(options);
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.Cacheable().ToListAsync()).Count);

            // A singleton of EF Core's internal provider: the same instance only if the provider is shared.
            var provider = context.GetService<IModelSource>();
            first ??= provider;
            Assert.Same(first, provider);
        }

        Assert.Equal(1, shop.Counter.Queries);
    }

    [Fact]
    public async Task UseRedisCacheAside_twice_on_one_builder_does_not_double_cache()
    {
        using var shop = new ShopHarness(redis);
        var options = shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
            .AddInterceptors(shop.Counter));

        AssertOneCacheInterceptor(options);
        for (var i = 0; i < 2; i++)
        {
            await using var context = new ShopContext(options);
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.Cacheable().ToListAsync()).Count);
        }

        Assert.Equal(1, shop.Counter.Queries);
    }

    [Fact]
    public async Task UseRedisCacheAside_twice_with_different_settings_keeps_only_the_last()
    {
        using var shop = new ShopHarness(redis);
        var otherPrefix = redis.NewKeyPrefix();
        var options = shop.Database.CreateOptions<ShopContext>(b => b
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = otherPrefix)
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
            .AddInterceptors(shop.Counter));

        for (var i = 0; i < 2; i++)
        {
            await using var context = new ShopContext(options);
            Assert.Equal(ShopSeed.ProductCount, (await context.Products.Cacheable().ToListAsync()).Count);
        }

        Assert.Equal(1, shop.Counter.Queries);
        Assert.Single(ReadPathProbe.KeysUnder(redis, shop.KeyPrefix, ":q:*"));
        // EF Core's interceptor list only grows, so the replaced registration's interceptors stay in it; what
        // matters is that they step aside: nothing cached, and no invalidation written, under the old prefix.
        await using (var context = new ShopContext(options))
        {
            var keyboard = await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
            keyboard.Name = "Renamed";
            await context.SaveChangesAsync();
        }

        await using (var context = new ShopContext(options))
        {
            var names = await context.Products.Cacheable().Select(p => p.Name).ToListAsync();
            Assert.Contains("Renamed", names);
        }

        Assert.Equal(3, shop.Counter.Queries); // the SingleAsync above, then the invalidated list again
        Assert.Empty(ReadPathProbe.KeysUnder(redis, otherPrefix));
    }

    private static void AssertOneCacheInterceptor(DbContextOptions options)
    {
        var interceptors = options.FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];
        Assert.Single(interceptors, i => i.GetType().Name == "CachingCommandInterceptor");
    }

    private static async Task<List<ProductRow>> ReadRows(ShopHarness shop)
    {
        await using var context = shop.NewContext();
        return ReadPathProbe.Rows(await context.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync());
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[Math.Max(length, 16)];
        new Random(4711).NextBytes(bytes);
        return bytes;
    }
}
