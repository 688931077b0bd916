using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>Items, their owners and notes on SQLite or PostgreSQL, for <see cref="DifferentialFuzzTests"/>.</summary>
public sealed class FuzzContext(DbContextOptions<FuzzContext> options) : DbContext(options)
{
    public DbSet<FuzzItem> Items => Set<FuzzItem>();

    public DbSet<FuzzOwner> Owners => Set<FuzzOwner>();

    public DbSet<FuzzNote> Notes => Set<FuzzNote>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var item = modelBuilder.Entity<FuzzItem>();
        item.Property(i => i.Id).ValueGeneratedNever();
        item.Property(i => i.Status).HasConversion<string>();
        item.HasOne(i => i.Owner).WithMany(o => o.Items).HasForeignKey(i => i.OwnerId);
        item.HasMany(i => i.Notes).WithOne().HasForeignKey(n => n.ItemId);
        modelBuilder.Entity<FuzzOwner>().Property(o => o.Id).ValueGeneratedNever();
        modelBuilder.Entity<FuzzNote>().Property(n => n.Id).ValueGeneratedNever();
        if (Database.IsNpgsql())
        {
            item.Property(i => i.At).HasColumnType("timestamp without time zone");
        }
    }
}
