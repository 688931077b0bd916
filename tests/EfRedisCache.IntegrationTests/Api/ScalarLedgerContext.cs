using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EfRedisCache.IntegrationTests.Api;

/// <summary>
/// One context type in two schema versions that differ only in how a scalar read by raw SQL
/// (<c>SqlQuery&lt;DateTime&gt;</c>) is stored: version 1 as text (the provider's default), version 2 as ticks
/// through a convention (<c>DefaultTypeMapping</c>), which no entity type's property shows. The SQL is the same.
/// </summary>
public sealed class ScalarLedgerContext(DbContextOptions<ScalarLedgerContext> options, int schemaVersion) : DbContext(options)
{
    public int SchemaVersion { get; } = schemaVersion;

    public DbSet<LedgerEntry> Entries => Set<LedgerEntry>();

    /// <summary>Builds a model per schema version (EF Core would otherwise reuse the first version's model).</summary>
    public static DbContextOptionsBuilder<ScalarLedgerContext> WithVersionedModels(DbContextOptionsBuilder<ScalarLedgerContext> builder)
        => builder.ReplaceService<IModelCacheKeyFactory, VersionedModelCacheKeyFactory>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (SchemaVersion == 2)
        {
            configurationBuilder.DefaultTypeMapping<DateTime>().HasConversion<DateTimeToTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<LedgerEntry>().ToTable("Entries").Property(e => e.Id).ValueGeneratedNever();

    private sealed class VersionedModelCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) => (context.GetType(), ((ScalarLedgerContext)context).SchemaVersion, designTime);
    }
}
