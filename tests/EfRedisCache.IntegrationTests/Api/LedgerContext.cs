using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// One context type in two schema versions, as two releases of an application would ship it: version 1 stores
/// <see cref="LedgerEntry.At"/> as text (the provider's default), version 2 as ticks in an integer column through a
/// value converter. The SQL of a query is the same in both versions.
/// </summary>
public sealed class LedgerContext(DbContextOptions<LedgerContext> options, int schemaVersion) : DbContext(options)
{
    public const string CreateVersion1Sql = "CREATE TABLE \"Entries\" (\"Id\" INTEGER NOT NULL PRIMARY KEY, \"At\" TEXT NOT NULL)";

    public int SchemaVersion { get; } = schemaVersion;

    public DbSet<LedgerEntry> Entries => Set<LedgerEntry>();

    /// <summary>Builds a model per schema version (EF Core would otherwise reuse the first version's model).</summary>
    public static DbContextOptionsBuilder<LedgerContext> WithVersionedModels(DbContextOptionsBuilder<LedgerContext> builder)
        => builder.ReplaceService<IModelCacheKeyFactory, VersionedModelCacheKeyFactory>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var entry = modelBuilder.Entity<LedgerEntry>().ToTable("Entries");
        entry.Property(e => e.Id).ValueGeneratedNever();
        if (SchemaVersion == 2)
        {
            entry.Property(e => e.At).HasConversion(v => v.Ticks, v => new DateTime(v));
        }
    }

    private sealed class VersionedModelCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) => (context.GetType(), ((LedgerContext)context).SchemaVersion, designTime);
    }
}
