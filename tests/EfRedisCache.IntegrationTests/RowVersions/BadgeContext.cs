using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// <see cref="Badge"/>'s key column <c>"Id"</c> beside a column <c>"id"</c>: two columns on PostgreSQL, where quoted
/// names keep their case (a database migrated from a snake_case schema keeps its old <c>id</c>).
/// </summary>
public sealed class BadgeContext(DbContextOptions<BadgeContext> options) : DbContext(options)
{
    public DbSet<Badge> Badges => Set<Badge>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<Badge>(badge =>
        {
            badge.Property(b => b.Id).ValueGeneratedNever();
            badge.Property(b => b.LegacyId).HasColumnName("id");
        });
}
