using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary><see cref="NumericAmount"/> with the column type a model shared with SQL Server gives it.</summary>
public sealed class NumericAmountContext(DbContextOptions<NumericAmountContext> options) : DbContext(options)
{
    public DbSet<NumericAmount> Amounts => Set<NumericAmount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var amount = modelBuilder.Entity<NumericAmount>();
        amount.Property(a => a.Id).ValueGeneratedNever();
        amount.Property(a => a.Amount).HasColumnType("decimal(18,6)");
    }
}
