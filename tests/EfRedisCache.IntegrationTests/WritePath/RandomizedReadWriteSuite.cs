using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// Invariants 2 and 3 under many interleavings: seeded random cached reads of several shapes and writes
/// through every write path, each read compared with the uncached truth; then the same with concurrent tasks.
/// One body for every database (<see cref="RandomizedReadWriteTests"/>, <see cref="PostgreSql.PostgreSqlRandomizedReadWriteTests"/>);
/// its raw SQL quotes identifiers, which SQLite accepts and PostgreSQL needs (it folds unquoted ones to lower case).
/// </summary>
public abstract class RandomizedReadWriteSuite(ITestOutputHelper output)
{
    private const int Seed = 20_240_611;
    private const int Operations = 500;

    /// <summary>A seeded shop on the suite's database.</summary>
    protected abstract ShopHarness NewShop();

    [Fact]
    public async Task Random_interleaving_of_cached_reads_and_writes_always_reads_the_truth()
    {
        using var shop = NewShop();
        var random = new Random(Seed);
        var queries = new[]
        {
            ShopQueries.Products(shop),
            ShopQueries.ProductCount(shop),
            ShopQueries.ProductsWithTags(shop),
            ShopQueries.ProductsWithCategory(shop),
            ShopQueries.ProductsInCategory(shop, ShopSeed.HardwareCategoryId),
            ShopQueries.ProductsInCategory(shop, ShopSeed.BooksCategoryId),
            ShopQueries.Categories(shop),
            ShopQueries.ProductById(shop, ShopSeed.KeyboardId),
            ShopQueries.ProductById(shop, ShopSeed.MouseId),
            ShopQueries.ProductById(shop, ShopSeed.NovelId),
            ShopQueries.ProductById(shop, 101),
        };
        var log = new List<string>();
        var nextId = 100;
        var (hits, misses) = (0, 0);

        for (var op = 0; op < Operations; op++)
        {
            if (random.Next(100) < 60)
            {
                var query = queries[random.Next(queries.Length)];
                var cached = query.Read(out var reachedDatabase);
                _ = reachedDatabase == 0 ? hits++ : misses++;
                var truth = query.Truth();
                log.Add($"read {query.Name}");
                Assert.True(cached == truth, $"seed {Seed}, operation {op}: {query.Name} is stale.\n cached: {cached}\n truth:  {truth}\n last operations: {string.Join("; ", log.TakeLast(8))}");
            }
            else
            {
                log.Add(await WriteAsync(shop, random, () => nextId++));
            }
        }

        output.WriteLine($"seed {Seed}: {hits} hits, {misses} misses over {Operations} operations");
        Assert.True(hits > 20, $"seed {Seed}: only {hits} hits; the test did not exercise the cache");
    }

    /// <summary>One random write; returns what it did, for the failure message.</summary>
    private static async Task<string> WriteAsync(ShopHarness shop, Random random, Func<int> newId)
    {
        await using var writer = shop.NewContext();
        var ids = await writer.Products.Select(p => p.Id).OrderBy(id => id).ToListAsync();
        var id = ids.Count == 0 ? ShopSeed.KeyboardId : ids[random.Next(ids.Count)];
        var async = random.Next(2) == 0;
        var value = random.Next(1, 10_000);
        switch (random.Next(9))
        {
            case 0:
                var added = Writes.NewProduct(newId(), $"P{value}", random.Next(2) == 0 ? ShopSeed.HardwareCategoryId : ShopSeed.BooksCategoryId);
                if (random.Next(2) == 0)
                {
                    added.Tags.Add(await writer.Tags.FirstAsync());
                }

                writer.Products.Add(added);
                await Writes.SaveAsync(writer, async);
                return $"SaveChanges add {added.Id}";
            case 1:
                var product = await writer.Products.SingleOrDefaultAsync(p => p.Id == id);
                if (product is null)
                {
                    return "nothing to modify";
                }

                product.Name = $"N{value}";
                product.Price = value / 100m;
                await Writes.SaveAsync(writer, async);
                return $"SaveChanges modify {id}";
            case 2:
                var doomed = new Product { Id = id, Name = "stub" };
                writer.Products.Attach(doomed);
                writer.Products.Remove(doomed);
                await Writes.SaveAsync(writer, async);
                return $"SaveChanges delete stub {id}";
            case 3:
                var rows = async
                    ? await writer.Products.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, value))
                    : writer.Products.Where(p => p.Id == id).ExecuteUpdate(s => s.SetProperty(p => p.Stock, value));
                return $"ExecuteUpdate {id} ({rows})";
            case 4:
                var moved = await writer.Products.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.CategoryId, p => 3 - p.CategoryId));
                return $"ExecuteUpdate move {id} ({moved})";
            case 5:
                var deleted = async
                    ? await writer.Products.Where(p => p.Id == id).ExecuteDeleteAsync()
                    : writer.Products.Where(p => p.Id == id).ExecuteDelete();
                return $"ExecuteDelete {id} ({deleted})";
            case 6:
                var updated = await writer.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"Products\" SET \"Name\" = {"R" + value.ToString(CultureInfo.InvariantCulture)} WHERE \"Id\" = {id}");
                return $"raw UPDATE {id} ({updated})";
            case 7:
                var insertId = newId();
                // The price literal suits SQLite's TEXT and PostgreSQL's numeric; the time is a UTC parameter, as Npgsql wants for timestamptz.
                await writer.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO "Products" ("Id", "Name", "Price", "CreatedAt", "Sku", "Stock", "Status", "CategoryId")
                    VALUES ({insertId}, {"I" + value.ToString(CultureInfo.InvariantCulture)}, '1.25', {ShopSeed.CreatedAt}, {Guid.NewGuid()}, 1, 1, {1 + (value % 2)})
                    """);
                return $"raw INSERT {insertId}";
            default:
                await writer.Database.ExecuteSqlRawAsync("UPDATE \"Categories\" SET \"Name\" = {0} WHERE \"Id\" = {1}", $"C{value}", 1 + (value % 2));
                return "raw UPDATE Categories";
        }
    }

    [Fact]
    public async Task Concurrent_readers_always_see_every_write_that_returned_before_their_read_started()
    {
        using var shop = NewShop();
        int[] ids = [ShopSeed.KeyboardId, ShopSeed.MouseId, ShopSeed.MonitorId, ShopSeed.NovelId];
        using (var context = shop.NewUncachedContext())
        {
            await context.Products.ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 0L));
        }

        // committed[id]: the Stock value of the last write to that product that has returned. Each product has
        // one writer, so its values only grow, and a read started later must see at least that value.
        var committed = new ConcurrentDictionary<int, long>(ids.ToDictionary(id => id, _ => 0L));
        var failures = new ConcurrentQueue<string>();
        var deadline = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(5);
        var (writes, reads) = (0, 0);

        async Task Writer(int index)
        {
            var random = new Random(Seed + index);
            var mine = ids.Where((_, i) => i % 2 == index).ToArray();
            var version = 0L;
            while (deadline.Elapsed < duration && failures.IsEmpty)
            {
                var id = mine[random.Next(mine.Length)];
                version++;
                await using (var writer = shop.NewContext())
                {
                    switch (random.Next(3))
                    {
                        case 0:
                            var product = await writer.Products.SingleAsync(p => p.Id == id);
                            product.Stock = version;
                            await Writes.SaveAsync(writer, random.Next(2) == 0);
                            break;
                        case 1:
                            await writer.Products.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, version));
                            break;
                        default:
                            writer.Database.ExecuteSqlRaw("UPDATE \"Products\" SET \"Stock\" = {0} WHERE \"Id\" = {1}", version, id);
                            break;
                    }
                }

                committed[id] = version;
                Interlocked.Increment(ref writes);
            }
        }

        async Task Reader(int index)
        {
            var random = new Random(Seed + 10 + index);
            while (deadline.Elapsed < duration && failures.IsEmpty)
            {
                var floor = new Dictionary<int, long>(committed);
                await using var context = shop.NewContext();
                var shape = random.Next(3);
                var id = ids[random.Next(ids.Length)];
                var rows = shape switch
                {
                    0 => await context.Products.AsNoTracking().OrderBy(p => p.Id).Cacheable().ToListAsync(),
                    1 => context.Products.AsNoTracking().Where(p => p.Id == id).Cacheable().ToList(),
                    _ => await context.Products.AsNoTracking().Where(p => p.CategoryId == ShopSeed.HardwareCategoryId).OrderBy(p => p.Id).Cacheable().ToListAsync(),
                };
                foreach (var row in rows.Where(r => r.Stock < floor[r.Id]))
                {
                    failures.Enqueue($"reader {index}, shape {shape}: product {row.Id} has Stock {row.Stock}, but a write of {floor[row.Id]} had returned before the read started");
                }

                Interlocked.Increment(ref reads);
            }
        }

        await Task.WhenAll(Task.Run(() => Writer(0)), Task.Run(() => Writer(1)), Task.Run(() => Reader(0)), Task.Run(() => Reader(1)));

        output.WriteLine($"seed {Seed}: {writes} writes, {reads} reads in {duration.TotalSeconds} s");
        Assert.True(failures.IsEmpty, $"seed {Seed}: {string.Join("\n", failures.Take(5))}");
        Assert.True(writes > 10 && reads > 10, $"too little happened: {writes} writes, {reads} reads");
    }
}
