using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>TPH with <see cref="DatedNote.When"/> and <see cref="TextNote.Text"/> in one TEXT column.</summary>
public sealed class SharedColumnNoteContext(DbContextOptions<SharedColumnNoteContext> options) : DbContext(options)
{
    public DbSet<SharedColumnNote> Notes => Set<SharedColumnNote>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SharedColumnNote>().Property(n => n.Id).ValueGeneratedNever();
        modelBuilder.Entity<DatedNote>().Property(n => n.When).HasColumnName("Value").HasColumnType("TEXT");
        modelBuilder.Entity<TextNote>().Property(n => n.Text).HasColumnName("Value").HasColumnType("TEXT");
    }
}
