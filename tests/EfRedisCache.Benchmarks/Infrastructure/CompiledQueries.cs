using EfRedisCache.Benchmarks.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Benchmarks.Infrastructure;

/// <summary>
/// The PkLookup, List50 and List1000 workloads as EF Core compiled queries, for EF Core's own fast path
/// (compiled query on a pooled context): no expression tree built, no funcletizer, no query-cache lookup per
/// call. Same SELECTs as <see cref="Queries"/>; the parameter names in the SQL differ, so their cache entries are
/// their own.
/// </summary>
public static class CompiledQueries
{
    public static readonly Workload[] Workloads = [Workload.PkLookup, Workload.List50, Workload.List1000];

    private static readonly Func<BenchContext, int, Task<Product?>> ProductCached =
        EF.CompileAsyncQuery((BenchContext db, int id) => db.Products.AsNoTracking().Cacheable().Where(p => p.Id == id).FirstOrDefault());

    private static readonly Func<BenchContext, int, Task<Product?>> Product =
        EF.CompileAsyncQuery((BenchContext db, int id) => db.Products.AsNoTracking().Where(p => p.Id == id).FirstOrDefault());

    // Type arguments spelled out: with OrderBy the lambda returns IOrderedQueryable, and overload resolution
    // would otherwise pick the single-result overload, which EF Core rejects at run time.
    private static readonly Func<BenchContext, int, IAsyncEnumerable<Product>> CategoryCached =
        EF.CompileAsyncQuery<BenchContext, int, Product>((BenchContext db, int category) => db.Products.AsNoTracking().Cacheable().Where(p => p.CategoryId == category).OrderBy(p => p.Id));

    private static readonly Func<BenchContext, int, IAsyncEnumerable<Product>> Category =
        EF.CompileAsyncQuery<BenchContext, int, Product>((BenchContext db, int category) => db.Products.AsNoTracking().Where(p => p.CategoryId == category).OrderBy(p => p.Id));

    private static readonly Func<BenchContext, IAsyncEnumerable<Product>> AllCached =
        EF.CompileAsyncQuery<BenchContext, Product>((BenchContext db) => db.Products.AsNoTracking().Cacheable().OrderBy(p => p.Id));

    private static readonly Func<BenchContext, IAsyncEnumerable<Product>> All =
        EF.CompileAsyncQuery<BenchContext, Product>((BenchContext db) => db.Products.AsNoTracking().OrderBy(p => p.Id));

    /// <summary>The workload's compiled query in a context leased from <paramref name="pool"/>, as a request would run it.</summary>
    public static async Task<object> RunAsync(IDbContextFactory<BenchContext> pool, Workload workload, bool cacheable)
    {
        await using var db = await pool.CreateDbContextAsync().ConfigureAwait(false);
        return workload switch
        {
            Workload.PkLookup => (await (cacheable ? ProductCached : Product)(db, Queries.ProductId).ConfigureAwait(false))!,
            Workload.List50 => await ToListAsync((cacheable ? CategoryCached : Category)(db, Queries.CategoryId)).ConfigureAwait(false),
            Workload.List1000 => await ToListAsync((cacheable ? AllCached : All)(db)).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, "Compiled only for PkLookup, List50 and List1000."),
        };
    }

    private static async Task<List<Product>> ToListAsync(IAsyncEnumerable<Product> products)
    {
        var list = new List<Product>();
        await foreach (var product in products.ConfigureAwait(false))
        {
            list.Add(product);
        }

        return list;
    }
}
