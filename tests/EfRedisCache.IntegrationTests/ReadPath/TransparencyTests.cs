using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// Invariant 1: for every query, the cached answer (a hit, proven by the counter) equals the uncached answer,
/// value by value after EF Core's conversions.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class TransparencyTests(RedisServerFixture redis)
{
    private const int ExtremeId = 100;

    [Fact]
    public async Task Cached_answer_equals_uncached_answer_for_every_column_type()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewUncachedContext())
        {
            context.Products.Add(new Product
            {
                Id = ExtremeId,
                Name = "",
                Price = 123456789.123456789m,
                CreatedAt = new DateTime(2031, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234567),
                Sku = Guid.Parse("ffffffff-0000-4000-8000-00000000000a"),
                Rating = 0.1 + 0.2,
                Stock = long.MaxValue,
                Status = ProductStatus.Discontinued,
                Image = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
                AvailableFrom = DateOnly.MaxValue,
                Released = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.FromMinutes(345)),
                CategoryId = ShopSeed.BooksCategoryId,
            });
            await context.SaveChangesAsync();
        }

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(
            shop, async c => ReadPathProbe.Rows(await c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()));

        Assert.Equal(ShopSeed.ProductCount + 1, truth.Count);
        Assert.Equal(long.MaxValue, truth.Single(r => r.Id == ExtremeId).Stock); // the truth itself is exact
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);
    }

    [Fact]
    public void Cached_answer_equals_uncached_answer_for_every_column_type_sync()
    {
        using var shop = new ShopHarness(redis);

        var (truth, miss, hit) = ReadPathProbe.TruthMissHit(
            shop, c => ReadPathProbe.Rows(c.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToList()));

        Assert.Equal(ShopSeed.ProductCount, truth.Count);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);
    }

    [Fact]
    public async Task Projection_to_anonymous_type_is_transparent()
    {
        using var shop = new ShopHarness(redis);

        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products
            .OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, CategoryName = p.Category.Name, p.Rating, p.Image, TagCount = p.Tags.Count, NameLength = p.Name.Length })
            .Cacheable()
            .ToListAsync()
            .ContinueWith(t => t.Result.Select(x => new { x.Id, x.Name, x.CategoryName, x.Rating, Image = x.Image is null ? null : Convert.ToHexString(x.Image), x.TagCount, x.NameLength }).ToList(), TaskScheduler.Default));
    }

    [Fact]
    public async Task Projection_to_dto_is_transparent()
    {
        using var shop = new ShopHarness(redis);

        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products
            .OrderBy(p => p.Name)
            .Select(p => new ProductSummary(p.Id, p.Name + " #" + p.Category.Name, p.Stock + 1, p.Status, p.AvailableFrom))
            .Cacheable()
            .ToListAsync());
    }

    [Fact]
    public async Task Aggregates_are_transparent()
    {
        using var shop = new ShopHarness(redis);

        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Cacheable().CountAsync());
        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Cacheable().LongCountAsync(p => p.Price > 10));
        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Cacheable().SumAsync(p => p.Price));
        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Cacheable().MaxAsync(p => p.CreatedAt));
        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Cacheable().MaxAsync(p => p.Rating));
        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Cacheable().MinAsync(p => p.Stock));
        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Where(p => p.Rating != null).Cacheable().AverageAsync(p => p.Rating!.Value));
    }

    [Fact]
    public void Aggregates_are_transparent_sync()
    {
        using var shop = new ShopHarness(redis);

        var count = ReadPathProbe.TruthMissHit(shop, c => c.Products.Cacheable().Count());
        Assert.Equal((ShopSeed.ProductCount, ShopSeed.ProductCount, ShopSeed.ProductCount), count);

        var max = ReadPathProbe.TruthMissHit(shop, c => c.Products.Cacheable().Max(p => p.Stock));
        Assert.Equal((10_000_000_000L, 10_000_000_000L, 10_000_000_000L), max);
    }

    [Fact]
    public async Task Reference_and_collection_include_are_transparent()
    {
        using var shop = new ShopHarness(redis);

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(shop, async c =>
            (await c.Orders.AsNoTracking()
                .Include(o => o.Customer)
                .Include(o => o.Lines.OrderBy(l => l.Id)).ThenInclude(l => l.Product)
                .Cacheable()
                .ToListAsync())
            .Select(o => new
            {
                o.Id,
                o.PlacedAt,
                o.PlacedAt.Kind,
                Customer = o.Customer.Name,
                Lines = string.Join(";", o.Lines.Select(l => $"{l.Id}:{l.Quantity}:{l.UnitPrice}:{l.Product.Name}:{l.Product.Price}")),
            })
            .ToList());

        Assert.Equal("1:1:49.99:Keyboard:49.99;2:2:19.5:Mouse:19.5", Assert.Single(truth).Lines);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);
    }

    [Fact]
    public async Task Split_query_is_transparent()
    {
        using var shop = new ShopHarness(redis);

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(shop, async c =>
            (await c.Categories.AsNoTracking()
                .Include(cat => cat.Products.OrderBy(p => p.Id)).ThenInclude(p => p.Tags)
                .OrderBy(cat => cat.Id)
                .AsSplitQuery()
                .Cacheable()
                .ToListAsync())
            .Select(cat => new
            {
                cat.Id,
                cat.Name,
                Products = string.Join(";", cat.Products.Select(p => $"{p.Id}:{p.Name}:{string.Join(",", p.Tags.OrderBy(t => t.Id).Select(t => t.Label))}")),
            })
            .ToList());

        Assert.Equal(2, truth.Count);
        Assert.Equal("1:Keyboard:sale,new;2:Mouse:sale;3:Monitor 27\":", truth[0].Products);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);
    }

    [Fact]
    public async Task Owned_types_are_transparent()
    {
        using var shop = new ShopHarness(redis);

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(shop, async c =>
            (await c.Customers.AsNoTracking().OrderBy(x => x.Id).Cacheable().ToListAsync())
            .Select(x => new
            {
                x.Id,
                x.Name,
                HasAddress = x.Address is not null,
                x.Address?.Street,
                x.Address?.City,
                x.Address?.PostalCode,
                Phones = string.Join(";", x.Phones.OrderBy(p => p.Kind).Select(p => $"{p.Kind}={p.Number}")),
            })
            .ToList());

        Assert.Equal(2, truth.Count);
        Assert.Equal("home=555-0100;work=555-0101", truth[0].Phones);
        Assert.False(truth[1].HasAddress);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);
    }

    [Fact]
    public async Task Tph_hierarchy_queries_are_transparent()
    {
        using var shop = new ShopHarness(redis);

        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Payments.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync())
            .Select(p => p switch
            {
                CardPayment card => $"{p.Id}:card:{p.Amount}:{card.Last4}",
                CashPayment cash => $"{p.Id}:cash:{p.Amount}:{cash.Tendered}",
                _ => $"{p.Id}:{p.GetType().Name}",
            })
            .ToList());

        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Payments.OfType<CashPayment>().AsNoTracking().Cacheable().ToListAsync())
            .Select(p => $"{p.Id}:{p.Amount}:{p.Tendered}")
            .ToList());
    }

    [Fact]
    public async Task Tpt_hierarchy_queries_are_transparent()
    {
        using var shop = new ShopHarness(redis);

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(shop, async c =>
            (await c.Vehicles.AsNoTracking().OrderBy(v => v.Id).Cacheable().ToListAsync())
            .Select(v => v switch
            {
                Car car => $"{v.Id}:Car:{v.Make}:{car.Seats}",
                Truck truck => $"{v.Id}:Truck:{v.Make}:{truck.PayloadKg}",
                _ => $"{v.Id}:{v.GetType().Name}:{v.Make}",
            })
            .ToList());

        Assert.Equal(["1:Car:Volvo:5", "2:Truck:MAN:18000"], truth);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);

        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Vehicles.OfType<Truck>().AsNoTracking().Cacheable().ToListAsync()).Select(t => $"{t.Id}:{t.Make}:{t.PayloadKg}").ToList());
    }

    [Fact]
    public async Task Tpc_hierarchy_queries_are_transparent()
    {
        using var shop = new ShopHarness(redis);

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(shop, async c =>
            (await c.Animals.AsNoTracking().OrderBy(a => a.Id).Cacheable().ToListAsync())
            .Select(a => a switch
            {
                Dog dog => $"{a.Id}:Dog:{a.Name}:{dog.Breed}",
                Cat cat => $"{a.Id}:Cat:{a.Name}:{cat.Lives}",
                _ => $"{a.Id}:{a.GetType().Name}",
            })
            .ToList());

        Assert.Equal(["1:Dog:Rex:Collie", "2:Cat:Tom:9"], truth);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);

        await ReadPathProbe.AssertTransparentAsync(shop, async c =>
            (await c.Animals.OfType<Cat>().AsNoTracking().Cacheable().ToListAsync()).Select(x => $"{x.Id}:{x.Name}:{x.Lives}").ToList());
    }

    [Fact]
    public async Task Many_to_many_include_is_transparent()
    {
        using var shop = new ShopHarness(redis);

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(shop, async c =>
            (await c.Tags.AsNoTracking().Include(t => t.Products).OrderBy(t => t.Id).Cacheable().ToListAsync())
            .Select(t => $"{t.Id}:{t.Label}:{string.Join(",", t.Products.Select(p => p.Id).Order())}")
            .ToList());

        Assert.Equal(["1:sale:1,2", "2:new:1,4"], truth);
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);
    }

    [Fact]
    public async Task FromSqlRaw_and_FromSqlInterpolated_are_transparent()
    {
        using var shop = new ShopHarness(redis);

        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(shop, async c => ReadPathProbe.Rows(
            await c.Products.FromSqlRaw("SELECT * FROM \"Products\" WHERE \"Stock\" > {0}", 5).AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync()));
        Assert.Equal([ShopSeed.KeyboardId, ShopSeed.MonitorId], truth.Select(r => r.Id));
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);

        var categoryId = ShopSeed.BooksCategoryId;
        var (truth2, miss2, hit2) = await ReadPathProbe.TruthMissHitAsync(shop, async c => ReadPathProbe.Rows(
            await c.Products.FromSqlInterpolated($"SELECT * FROM \"Products\" WHERE \"CategoryId\" = {categoryId}").AsNoTracking().Cacheable().ToListAsync()));
        Assert.Equal([ShopSeed.NovelId], truth2.Select(r => r.Id));
        Assert.Equal(truth2, miss2);
        Assert.Equal(truth2, hit2);
    }

    [Fact]
    public async Task Tracking_query_served_from_a_hit_tracks_entities_that_can_be_saved()
    {
        using var shop = new ShopHarness(redis);
        await using (var context = shop.NewContext())
        {
            await context.Products.Where(p => p.Id == ShopSeed.MonitorId).Cacheable().SingleAsync();
        }

        await using (var context = shop.NewContext())
        {
            var monitor = await context.Products.Where(p => p.Id == ShopSeed.MonitorId).Cacheable().SingleAsync();
            Assert.Equal(1, shop.Counter.Queries); // a hit
            Assert.Equal(EntityState.Unchanged, context.Entry(monitor).State);
            Assert.Same(monitor, context.Products.Local.Single());

            monitor.Stock = 42;
            Assert.Equal(EntityState.Modified, context.Entry(monitor).State);
            Assert.Equal(1, await context.SaveChangesAsync());
        }

        await using (var truth = shop.NewUncachedContext())
        {
            Assert.Equal(42, (await truth.Products.SingleAsync(p => p.Id == ShopSeed.MonitorId)).Stock);
        }
    }

    [Fact]
    public async Task Tracking_and_no_tracking_reads_share_an_entry_and_give_the_same_values()
    {
        using var shop = new ShopHarness(redis);

        // Tracking does not change the SQL, so the no-tracking read is a hit on the tracking read's entry.
        var (truth, miss, hit) = await ReadPathProbe.TruthMissHitAsync(shop, async c => ReadPathProbe.Rows(await c.Products.OrderBy(p => p.Id).Cacheable().ToListAsync()));
        Assert.Equal(truth, miss);
        Assert.Equal(truth, hit);

        await using var context = shop.NewContext();
        var noTracking = ReadPathProbe.Rows(await context.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync());
        Assert.Equal(1, shop.Counter.Queries);
        Assert.Equal(truth, noTracking);
        Assert.Empty(context.ChangeTracker.Entries());
    }

    [Fact]
    public async Task First_Single_Any_ElementAt_are_transparent()
    {
        using var shop = new ShopHarness(redis);

        await ReadPathProbe.AssertTransparentAsync(shop, async c => ReadPathProbe.Row(await c.Products.OrderByDescending(p => p.Price).Cacheable().FirstAsync()));
        await ReadPathProbe.AssertTransparentAsync(shop, async c => ReadPathProbe.Row(await c.Products.Where(p => p.Name == "Mouse").Cacheable().SingleAsync()));
        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Cacheable().AnyAsync(p => p.Price > 100));
        await ReadPathProbe.AssertTransparentAsync(shop, c => c.Products.Cacheable().AnyAsync(p => p.Price > 1000));
        await ReadPathProbe.AssertTransparentAsync(shop, async c => ReadPathProbe.Row(await c.Products.OrderBy(p => p.Id).Cacheable().ElementAtAsync(2)));
    }

    [Fact]
    public void First_Single_Any_ElementAt_are_transparent_sync()
    {
        using var shop = new ShopHarness(redis);

        var first = ReadPathProbe.TruthMissHit(shop, c => ReadPathProbe.Row(c.Products.OrderByDescending(p => p.Price).Cacheable().First()));
        Assert.Equal(first.Truth, first.Miss);
        Assert.Equal(first.Truth, first.Hit);

        var single = ReadPathProbe.TruthMissHit(shop, c => ReadPathProbe.Row(c.Products.Where(p => p.Name == "Mouse").Cacheable().Single()));
        Assert.Equal(single.Truth, single.Hit);

        var any = ReadPathProbe.TruthMissHit(shop, c => c.Products.Cacheable().Any(p => p.Price > 1000));
        Assert.Equal((false, false, false), any);

        var elementAt = ReadPathProbe.TruthMissHit(shop, c => ReadPathProbe.Row(c.Products.OrderBy(p => p.Id).Cacheable().ElementAt(3)));
        Assert.Equal(ShopSeed.NovelId, elementAt.Hit.Id);
        Assert.Equal(elementAt.Truth, elementAt.Hit);
    }

    [Fact]
    public async Task Empty_results_are_cached_and_stay_empty()
    {
        using var shop = new ShopHarness(redis);

        var list = await ReadPathProbe.TruthMissHitAsync(shop, async c => (await c.Products.Where(p => p.Price < 0).Cacheable().ToListAsync()).Count);
        Assert.Equal((0, 0, 0), list);

        var firstOrDefault = await ReadPathProbe.TruthMissHitAsync(shop, async c => (await c.Products.Where(p => p.Name == "nothing").Cacheable().FirstOrDefaultAsync())?.Id);
        Assert.Equal(((int?)null, (int?)null, (int?)null), firstOrDefault);

        var max = await ReadPathProbe.TruthMissHitAsync(shop, c => c.Products.Where(p => p.Price < 0).Cacheable().MaxAsync(p => (long?)p.Stock));
        Assert.Equal(((long?)null, (long?)null, (long?)null), max);
    }

    [Fact]
    public async Task Ordering_is_preserved()
    {
        using var shop = new ShopHarness(redis);

        var byName = await ReadPathProbe.TruthMissHitAsync(shop, async c => await c.Products.OrderByDescending(p => p.Name).Select(p => p.Id).Cacheable().ToListAsync());
        Assert.Equal([ShopSeed.NovelId, ShopSeed.MouseId, ShopSeed.MonitorId, ShopSeed.KeyboardId], byName.Truth);
        Assert.Equal(byName.Truth, byName.Miss);
        Assert.Equal(byName.Truth, byName.Hit);

        var byRating = await ReadPathProbe.TruthMissHitAsync(shop, async c => await c.Products.OrderBy(p => p.Rating).ThenByDescending(p => p.Id).Select(p => p.Id).Cacheable().ToListAsync());
        Assert.Equal(byRating.Truth, byRating.Hit);
    }
}

/// <summary>A DTO projection target.</summary>
public sealed record ProductSummary(int Id, string Label, long StockPlusOne, ProductStatus Status, DateOnly? AvailableFrom);
