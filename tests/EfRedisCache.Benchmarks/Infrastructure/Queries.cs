using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// The LINQ of each workload, the same for every EF variant. <c>nonce</c> &gt; 0 adds an always-true
/// predicate with a fresh parameter value, which gives a fresh cache key per call with the same rows
/// (the "miss" variant).
/// </summary>
public static class Queries
{
    public const int ProductId = 42;
    public const int CategoryId = 3;

    /// <summary>The workload's query in a new context, as a request would run it.</summary>
    public static async Task<object> RunAsync(DbContextOptions<BenchContext> options, Workload workload, bool cacheable, int nonce = 0)
    {
        await using var db = new BenchContext(options);
        return await RunAsync(db, workload, cacheable, nonce).ConfigureAwait(false);
    }

    /// <summary>SaveChanges of one product (which invalidates the table), then the workload's read, in one new context.</summary>
    public static async Task<object> SaveThenReadAsync(DbContextOptions<BenchContext> options, Workload workload, bool cacheable, int stock)
    {
        await using var db = new BenchContext(options);
        await SaveStockAsync(db, SeedData.Products, stock).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        return await RunAsync(db, workload, cacheable).ConfigureAwait(false);
    }

    public static async Task<object> RunAsync(BenchContext db, Workload workload, bool cacheable, int nonce = 0)
    {
        switch (workload)
        {
            case Workload.PkLookup:
                return (await Products(db, cacheable, nonce).Where(p => p.Id == ProductId).FirstOrDefaultAsync().ConfigureAwait(false))!;
            case Workload.List50:
                return await Products(db, cacheable, nonce).Where(p => p.CategoryId == CategoryId).OrderBy(p => p.Id).ToListAsync().ConfigureAwait(false);
            case Workload.Include:
                var categories = db.Categories.AsNoTracking().Include(c => c.Products).Where(c => c.Id == CategoryId);
                if (nonce > 0)
                {
                    categories = categories.Where(c => c.Id > -nonce);
                }

                return (await (cacheable ? categories.Cacheable() : categories).FirstAsync().ConfigureAwait(false))!;
            case Workload.Projection:
                return await Products(db, cacheable, nonce).Where(p => p.CategoryId == CategoryId).OrderBy(p => p.Id)
                    .Select(p => new ProductSummary(p.Id, p.Name, p.Price, p.Category!.Name)).ToListAsync().ConfigureAwait(false);
            case Workload.List1000:
                return await Products(db, cacheable, nonce).OrderBy(p => p.Id).ToListAsync().ConfigureAwait(false);
            default:
                throw new ArgumentOutOfRangeException(nameof(workload));
        }
    }

    /// <summary>The PK lookup or the 50-row list marked <c>NotCacheable()</c>, for a context that caches every other query.</summary>
    public static async Task<object> RunNotCacheableAsync(DbContextOptions<BenchContext> options, Workload workload)
    {
        await using var db = new BenchContext(options);
        var products = db.Products.AsNoTracking().NotCacheable();
        return workload switch
        {
            Workload.PkLookup => (await products.Where(p => p.Id == ProductId).FirstOrDefaultAsync().ConfigureAwait(false))!,
            Workload.List50 => await products.Where(p => p.CategoryId == CategoryId).OrderBy(p => p.Id).ToListAsync().ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, "only PkLookup and List50"),
        };
    }

    /// <summary>A product by any id, for the load program (distinct keys).</summary>
    public static Task<Product?> ProductByIdAsync(BenchContext db, int id, bool cacheable)
    {
        var query = db.Products.AsNoTracking().Where(p => p.Id == id);
        return (cacheable ? query.Cacheable() : query).FirstOrDefaultAsync();
    }

    /// <summary>A write that SaveChanges sends as one UPDATE of one column (a tracked stub, no read first).</summary>
    public static Task<int> SaveStockAsync(BenchContext db, int productId, int stock)
    {
        var stub = new Product { Id = productId, Stock = stock };
        db.Products.Attach(stub);
        db.Entry(stub).Property(p => p.Stock).IsModified = true;
        return db.SaveChangesAsync();
    }

    private static IQueryable<Product> Products(BenchContext db, bool cacheable, int nonce)
    {
        var products = db.Products.AsNoTracking();
        if (nonce > 0)
        {
            products = products.Where(p => p.Id > -nonce);
        }

        return cacheable ? products.Cacheable() : products;
    }
}
