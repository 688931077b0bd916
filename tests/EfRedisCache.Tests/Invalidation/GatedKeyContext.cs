using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Invalidation;

/// <summary>A context over <see cref="GatedKeyRow"/> whose key is read through its getter (no backing field read).</summary>
public sealed class GatedKeyContext(DbContextOptions<GatedKeyContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<GatedKeyRow>(row =>
        {
            row.ToTable("gated");
            row.Ignore(r => r.KeyRead);
            row.Property(r => r.Id).ValueGeneratedNever().UsePropertyAccessMode(PropertyAccessMode.Property);
        });
}
