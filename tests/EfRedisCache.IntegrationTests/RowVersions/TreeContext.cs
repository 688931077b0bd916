using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>Two self-referencing tables: the database itself changes other rows of the table a delete targets.</summary>
public sealed class TreeContext(DbContextOptions<TreeContext> options) : DbContext(options)
{
    public DbSet<Folder> Folders => Set<Folder>();

    public DbSet<Reply> Replies => Set<Reply>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Folder>().HasOne(f => f.Parent).WithMany().HasForeignKey(f => f.ParentId).OnDelete(DeleteBehavior.SetNull);
        modelBuilder.Entity<Reply>().HasOne(r => r.Parent).WithMany().HasForeignKey(r => r.ParentId).OnDelete(DeleteBehavior.Cascade);
    }
}
