using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>Invariant 6: no cross-talk between databases or context types, and no SQL or values in keys.</summary>
[Collection(RedisCollection.Name)]
public sealed class IsolationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Two_databases_behind_the_same_key_prefix_never_read_each_others_entries()
    {
        var sharedPrefix = redis.NewKeyPrefix();
        using var shopA = new ShopHarness(redis, o => o.KeyPrefix = sharedPrefix);
        using var shopB = new ShopHarness(redis, o => o.KeyPrefix = sharedPrefix);
        await using (var context = shopB.NewUncachedContext())
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Keyboard in B";
            await context.SaveChangesAsync();
        }

        await using (var a = shopA.NewContext())
        await using (var b = shopB.NewContext())
        {
            var queryA = a.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable();
            var queryB = b.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable();
            Assert.Equal(queryA.ToQueryString(), queryB.ToQueryString()); // identical SQL, identical prefix

            Assert.Equal("Keyboard", await queryA.SingleAsync());
            Assert.Equal("Keyboard in B", await queryB.SingleAsync());
        }

        Assert.Equal(1, shopA.Counter.Queries);
        Assert.Equal(1, shopB.Counter.Queries); // B missed rather than reading A's entry

        await using (var a = shopA.NewContext())
        await using (var b = shopB.NewContext())
        {
            Assert.Equal("Keyboard in B", await b.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync());
            Assert.Equal("Keyboard", await a.Products.Where(p => p.Id == ShopSeed.KeyboardId).Select(p => p.Name).Cacheable().SingleAsync());
        }

        Assert.Equal(1, shopA.Counter.Queries);
        Assert.Equal(1, shopB.Counter.Queries); // each has its own hit
    }

    [Fact]
    public async Task Two_context_types_over_the_same_tables_do_not_share_entries()
    {
        using var shop = new ShopHarness(redis);
        var listOptions = shop.Database.CreateOptions<CategoryListContext>(b => b
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
            .AddInterceptors(shop.Counter));

        await using (var shopContext = shop.NewContext())
        await using (var listContext = new CategoryListContext(listOptions))
        {
            var shopQuery = shopContext.Categories.OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).Cacheable();
            var listQuery = listContext.Categories.OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).Cacheable();
            // One SQL text but for the tag of each query's LINQ shape, which names the other entity type.
            Assert.Equal(WithoutShapeTag(shopQuery.ToQueryString()), WithoutShapeTag(listQuery.ToQueryString()));

            Assert.Equal(2, (await shopQuery.ToListAsync()).Count);
            Assert.Equal(1, shop.Counter.Queries);
            Assert.Equal(2, (await listQuery.ToListAsync()).Count);
            Assert.Equal(2, shop.Counter.Queries); // the other context type missed
        }

        await using (var listContext = new CategoryListContext(listOptions))
        {
            Assert.Equal(["Hardware", "Books"], await listContext.Categories.OrderBy(c => c.Id).Select(c => c.Name).Cacheable().ToListAsync());
        }

        await using (var listContext = new CategoryListContext(listOptions))
        {
            Assert.Equal(["Hardware", "Books"], await listContext.Categories.OrderBy(c => c.Id).Select(c => c.Name).Cacheable().ToListAsync());
        }

        Assert.Equal(3, shop.Counter.Queries); // the second context type gets hits of its own
    }

    [Fact]
    public async Task Private_in_memory_sqlite_is_never_cached_and_returns_right_rows()
    {
        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(connection)
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = prefix)
            .AddInterceptors(counter)
            .Options;
        await using (var context = new ShopContext(options))
        {
            await context.Database.EnsureCreatedAsync();
            ShopSeed.Seed(context);
        }

        counter.Reset();
        for (var i = 0; i < 3; i++)
        {
            await using var context = new ShopContext(options);
            var names = await context.Products.OrderBy(p => p.Id).Select(p => p.Name).Cacheable().ToListAsync();
            Assert.Equal(["Keyboard", "Mouse", "Monitor 27\"", "Ünïcødé novel"], names);
        }

        Assert.Equal(3, counter.Queries);
        Assert.Empty(ReadPathProbe.KeysUnder(redis, prefix, ":q:*"));
    }

    [Fact]
    public async Task Redis_keys_hold_no_sql_text_no_parameter_values_and_no_database_path()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);
        const string distinctive = "Zebra-Param-4711";
        await using (var context = shop.NewContext())
        {
            await context.Products.Where(p => p.Name == distinctive).Cacheable(TimeSpan.FromMinutes(1), "catalog").ToListAsync();
            await context.Products.FromSqlInterpolated($"SELECT * FROM \"Products\" WHERE \"Name\" = {distinctive}").Cacheable().ToListAsync(); // raw SQL: cached when marked
            await context.Categories.Where(c => c.Name == distinctive).ToListAsync();
            await context.GetCacheInvalidator().InvalidateEntityAsync<Product>();
        }

        var keys = ReadPathProbe.KeysUnder(redis, shop.KeyPrefix);
        Assert.Contains(keys, k => k.StartsWith(RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:", StringComparison.Ordinal));
        Assert.Equal(3, keys.Count(k => k.StartsWith(RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:", StringComparison.Ordinal)));
        var fileName = Path.GetFileNameWithoutExtension(((SqliteTestDatabase)shop.Database).FilePath);
        foreach (var key in keys)
        {
            foreach (var forbidden in new[] { "SELECT", "FROM", "WHERE", "\"", distinctive, "4711", "EfRedisCache", fileName, "efrc-tests" })
            {
                Assert.False(key.Contains(forbidden, StringComparison.OrdinalIgnoreCase), $"key '{key}' contains '{forbidden}'");
            }
        }
    }

    [Fact]
    public async Task Shared_cache_in_memory_databases_of_the_same_name_never_share_entries()
    {
        // A named shared-cache in-memory database lives only as long as one of its connections is open, and only
        // in this process: the next one of the same name (a later test, another process) is another database.
        var prefix = redis.NewKeyPrefix();
        var counter = new DatabaseCommandCounter();
        var connectionString = $"Data Source=efrc-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";

        Assert.Equal("Keyboard", await ReadKeyboardName(connectionString, prefix, counter, keyboardName: "Keyboard"));
        Assert.Equal(1, counter.Queries);

        // The first database is gone; a new one of the same name holds other data, written without this cache.
        Assert.Equal("Keyboard of the second database", await ReadKeyboardName(connectionString, prefix, counter, keyboardName: "Keyboard of the second database"));
    }

    [Theory]
    [InlineData("options")]
    [InlineData("uri")]
    public async Task Same_sqlite_file_through_different_connection_strings_is_one_database(string variantKind)
    {
        using var shop = new ShopHarness(redis);
        var variant = variantKind == "options"
            ? new SqliteConnectionStringBuilder(shop.Database.ConnectionString) { Pooling = false, DefaultTimeout = 17 }.ToString()
            : new SqliteConnectionStringBuilder { DataSource = new Uri(((SqliteTestDatabase)shop.Database).FilePath).AbsoluteUri }.ToString();
        var variantOptions = new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(variant)
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = shop.KeyPrefix)
            .Options;

        await using (var context = shop.NewContext())
        {
            Assert.Equal("Keyboard", (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().SingleAsync()).Name);
        }

        await using (var context = new ShopContext(variantOptions))
        {
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = "Renamed through the variant";
            await context.SaveChangesAsync();
        }

        await using (var truth = shop.NewUncachedContext())
        {
            Assert.Equal("Renamed through the variant", (await truth.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name); // one file
        }

        await using (var context = shop.NewContext())
        {
            Assert.Equal("Renamed through the variant", (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().SingleAsync()).Name);
        }
    }

    /// <summary>Creates the named in-memory database, seeds it without the cache, reads the keyboard through the cache, and drops it.</summary>
    private async Task<string> ReadKeyboardName(string connectionString, string prefix, DatabaseCommandCounter counter, string keyboardName)
    {
        await using var keepAlive = new SqliteConnection(connectionString);
        await keepAlive.OpenAsync();
        var uncached = new DbContextOptionsBuilder<ShopContext>().UseSqlite(connectionString).Options;
        await using (var context = new ShopContext(uncached))
        {
            await context.Database.EnsureCreatedAsync();
            ShopSeed.Seed(context);
            (await context.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId)).Name = keyboardName;
            await context.SaveChangesAsync();
        }

        var cached = new DbContextOptionsBuilder<ShopContext>()
            .UseSqlite(connectionString)
            .UseRedisCacheAside(redis.Connection, o => o.KeyPrefix = prefix)
            .AddInterceptors(counter)
            .Options;
        await using (var context = new ShopContext(cached))
        {
            return (await context.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().SingleAsync()).Name;
        }
    }

    private static string WithoutShapeTag(string sql)
        => string.Join('\n', sql.Split('\n').Where(line => !line.StartsWith("-- EfRedisCache.Shape ", StringComparison.Ordinal)));
}
