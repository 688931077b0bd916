using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>Which queries are cached: Cacheable(), CacheAllQueries, NotCacheable(), per-entity rules, TTL.</summary>
[Collection(RedisCollection.Name)]
public sealed class OptInOptOutTests(RedisServerFixture redis)
{
    /// <summary>
    /// Long enough for a miss and a hit on a loaded two-core machine (300 ms was not: the hit came after the
    /// entry expired), short enough to wait out.
    /// </summary>
    private static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Unmarked_query_is_not_cached_by_default()
    {
        using var shop = new ShopHarness(redis);

        await ReadTwice(shop, c => c.Products.OrderBy(p => p.Id).ToListAsync());

        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task CacheAllQueries_caches_unmarked_queries()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);

        var (first, second) = await ReadTwice(shop, c => c.Products.OrderBy(p => p.Id).Select(p => p.Name).ToListAsync());

        Assert.Equal(1, shop.Counter.Queries);
        Assert.Equal(first, second);
    }

    /// <summary>
    /// Raw SQL may call a function run for its effect, which a hit would skip: <c>CacheAllQueries</c> and
    /// <c>CacheEntity</c> leave it to the database, composed or not, and it is cached when marked <c>Cacheable()</c>.
    /// </summary>
    [Fact]
    public async Task CacheAllQueries_and_CacheEntity_leave_raw_sql_alone_unless_it_is_marked_Cacheable()
    {
        using var shop = new ShopHarness(redis, o =>
        {
            o.CacheAllQueries = true;
            o.CacheEntity<Product>(TimeSpan.FromMinutes(1));
        });

        await ReadTwice(shop, c => c.Products.FromSql($"SELECT * FROM \"Products\"").ToListAsync());
        await ReadTwice(shop, c => c.Products.FromSql($"SELECT * FROM \"Products\"").Where(p => p.Price > 0).OrderBy(p => p.Id).ToListAsync());
        await ReadTwice(shop, c => c.Database.SqlQuery<int>($"SELECT \"Id\" AS \"Value\" FROM \"Products\"").ToListAsync());
        Assert.Equal(6, shop.Counter.Queries);

        shop.Counter.Reset();
        await ReadTwice(shop, c => c.Products.FromSql($"SELECT * FROM \"Products\"").Cacheable().ToListAsync());
        await ReadTwice(shop, c => c.Database.SqlQuery<int>($"SELECT \"Id\" AS \"Value\" FROM \"Products\"").Cacheable().ToListAsync());
        await ReadTwice(shop, c => c.Products.Where(p => p.Price > 0).ToListAsync()); // LINQ: cached by the settings
        Assert.Equal(3, shop.Counter.Queries);
    }

    [Fact]
    public async Task NotCacheable_wins_over_CacheAllQueries()
    {
        using var shop = new ShopHarness(redis, o => o.CacheAllQueries = true);

        await ReadTwice(shop, c => c.Products.OrderBy(p => p.Id).NotCacheable().ToListAsync());

        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task NotCacheable_wins_over_Cacheable_on_the_same_query()
    {
        using var shop = new ShopHarness(redis);

        await ReadTwice(shop, c => c.Products.Cacheable().OrderBy(p => p.Id).NotCacheable().ToListAsync());
        await ReadTwice(shop, c => c.Products.NotCacheable().OrderBy(p => p.Id).Cacheable().ToListAsync());

        Assert.Equal(4, shop.Counter.Queries);
    }

    [Fact]
    public async Task NeverCache_entity_wins_over_Cacheable()
    {
        using var shop = new ShopHarness(redis, o => o.NeverCache<Customer>());

        await ReadTwice(shop, c => c.Customers.OrderBy(x => x.Id).Cacheable().ToListAsync());
        Assert.Equal(2, shop.Counter.Queries); // no hit: owned phones come in the same command

        shop.Counter.Reset();
        await ReadTwice(shop, c => c.Orders.Include(o => o.Customer).Cacheable().ToListAsync());
        Assert.Equal(2, shop.Counter.Queries); // a join that reads Customers is never cached either

        shop.Counter.Reset();
        await ReadTwice(shop, c => c.Products.OrderBy(p => p.Id).Cacheable().ToListAsync());
        Assert.Equal(1, shop.Counter.Queries); // other entities are still cached
    }

    [Fact]
    public async Task NeverCache_entity_wins_over_CacheAllQueries()
    {
        using var shop = new ShopHarness(redis, o =>
        {
            o.CacheAllQueries = true;
            o.NeverCache<Customer>();
        });

        await ReadTwice(shop, c => c.Customers.Select(x => x.Name).ToListAsync());

        Assert.Equal(2, shop.Counter.Queries);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NeverCache_entity_wins_over_CacheEntity_of_the_same_entity_in_either_order(bool neverFirst)
    {
        using var shop = new ShopHarness(redis, o =>
        {
            if (neverFirst)
            {
                o.NeverCache<Category>().CacheEntity<Category>(TimeSpan.FromMinutes(1));
            }
            else
            {
                o.CacheEntity<Category>(TimeSpan.FromMinutes(1)).NeverCache<Category>();
            }
        });

        await ReadTwice(shop, c => c.Categories.OrderBy(x => x.Id).ToListAsync());
        await ReadTwice(shop, c => c.Categories.OrderBy(x => x.Id).Cacheable().ToListAsync());

        Assert.Equal(4, shop.Counter.Queries);
    }

    [Fact]
    public async Task CacheEntity_caches_unmarked_queries_of_that_entity_only()
    {
        using var shop = new ShopHarness(redis, o => o.CacheEntity<Category>(TimeSpan.FromMinutes(1)));

        var (first, second) = await ReadTwice(shop, c => c.Categories.OrderBy(x => x.Id).Select(x => x.Name).ToListAsync());
        Assert.Equal(1, shop.Counter.Queries);
        Assert.Equal(["Hardware", "Books"], first);
        Assert.Equal(first, second);

        shop.Counter.Reset();
        await ReadTwice(shop, c => c.Tags.OrderBy(x => x.Id).ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task CacheEntity_ttl_expires_unmarked_queries()
    {
        using var shop = new ShopHarness(redis, o => o.CacheEntity<Category>(ShortTtl));

        await ReadTwice(shop, c => c.Categories.OrderBy(x => x.Id).ToListAsync());
        Assert.Equal(1, shop.Counter.Queries);

        await Task.Delay(ShortTtl + TimeSpan.FromMilliseconds(500));
        await ReadOnce(shop, c => c.Categories.OrderBy(x => x.Id).ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
    }

    [Fact]
    public async Task Cacheable_ttl_expires_and_the_next_read_is_a_miss()
    {
        using var shop = new ShopHarness(redis);

        await ReadTwice(shop, c => c.Products.OrderBy(p => p.Id).Cacheable(ShortTtl).ToListAsync());
        Assert.Equal(1, shop.Counter.Queries);

        await Task.Delay(ShortTtl + TimeSpan.FromMilliseconds(500));
        var rows = await ReadOnce(shop, c => c.Products.OrderBy(p => p.Id).Cacheable(ShortTtl).ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
        Assert.Equal(ShopSeed.ProductCount, rows.Count);
    }

    [Fact]
    public async Task Cacheable_without_ttl_uses_DefaultTtl()
    {
        using var shop = new ShopHarness(redis, o => o.DefaultTtl = ShortTtl);

        await ReadTwice(shop, c => c.Products.OrderBy(p => p.Id).Cacheable().ToListAsync());
        Assert.Equal(1, shop.Counter.Queries);

        await Task.Delay(ShortTtl + TimeSpan.FromMilliseconds(500));
        await ReadOnce(shop, c => c.Products.OrderBy(p => p.Id).Cacheable().ToListAsync());
        Assert.Equal(2, shop.Counter.Queries);
    }

    /// <summary>
    /// The TTL each kind of marker and rule sets on the entry in Redis, as <c>Cacheable()</c>'s documentation says:
    /// a <c>Cacheable(ttl)</c> wins, then the shortest <c>CacheEntity</c> TTL of the tables read (for an unmarked query
    /// and for <c>Cacheable()</c> without a TTL alike), then <c>DefaultTtl</c>.
    /// </summary>
    [Fact]
    public async Task The_ttl_set_in_Redis_follows_the_documented_precedence()
    {
        using var shop = new ShopHarness(redis, o =>
        {
            o.CacheAllQueries = true;
            o.DefaultTtl = TimeSpan.FromHours(1);
            o.CacheEntity<Product>(TimeSpan.FromMinutes(2));
            o.CacheEntity<Category>(TimeSpan.FromMinutes(20));
        });

        Assert.InRange(await TtlSetBy(shop, c => c.Products.Include(p => p.Category).ToListAsync()), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        Assert.InRange(await TtlSetBy(shop, c => c.Products.Include(p => p.Category).Cacheable().ToListAsync()), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        Assert.InRange(await TtlSetBy(shop, c => c.Products.Include(p => p.Category).Cacheable(TimeSpan.FromMinutes(30)).ToListAsync()), TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        Assert.InRange(await TtlSetBy(shop, c => c.Tags.ToListAsync()), TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    /// <summary>The time to live in Redis of the one entry <paramref name="query"/> stores.</summary>
    private async Task<TimeSpan> TtlSetBy<T>(ShopHarness shop, Func<ShopContext, Task<T>> query)
    {
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var database = redis.Connection.GetDatabase();
        var pattern = RedisServerFixture.KeyStart(shop.KeyPrefix) + ":q:*";
        await foreach (var key in server.KeysAsync(pattern: pattern))
        {
            await database.KeyDeleteAsync(key);
        }

        await ReadOnce(shop, query);
        var entries = new List<TimeSpan>();
        await foreach (var key in server.KeysAsync(pattern: pattern))
        {
            entries.Add(await database.KeyTimeToLiveAsync(key) ?? TimeSpan.MaxValue);
        }

        return Assert.Single(entries);
    }

    internal static async Task<(T First, T Second)> ReadTwice<T>(ShopHarness shop, Func<ShopContext, Task<T>> query)
        => (await ReadOnce(shop, query), await ReadOnce(shop, query));

    internal static async Task<T> ReadOnce<T>(ShopHarness shop, Func<ShopContext, Task<T>> query)
    {
        await using var context = shop.NewContext();
        return await query(context);
    }
}
