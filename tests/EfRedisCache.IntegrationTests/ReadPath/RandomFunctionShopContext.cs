using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>
/// The shop with SQLite's <c>random()</c> mapped as a user function (<c>HasDbFunction</c>): EF Core quotes the
/// name of a function that is not built in, so its SQL calls <c>"random"()</c>.
/// </summary>
public sealed class RandomFunctionShopContext(DbContextOptions<ShopContext> options) : ShopContext(options)
{
    /// <summary>Translated to a call of <c>random</c>; never runs on the client.</summary>
    public static long Random() => throw new NotSupportedException();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasDbFunction(typeof(RandomFunctionShopContext).GetMethod(nameof(Random))!).HasName("random");
    }
}
