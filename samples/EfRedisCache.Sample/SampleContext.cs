using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Sample;

internal sealed class SampleContext(DbContextOptions<SampleContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    /// <summary>
    /// Maps to the SQLite function <c>slow(ms)</c> that <see cref="SlowFunctionInterceptor"/> registers: it makes
    /// the database itself slow, the way a heavy report query is, so the timings show what a cache hit saves.
    /// </summary>
    [DbFunction("slow")]
    public static bool Slow(int milliseconds) => throw new NotSupportedException("slow() runs inside SQLite only.");
}
