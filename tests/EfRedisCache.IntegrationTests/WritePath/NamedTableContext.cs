using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// One table under a name and schema the test chooses, for tests of one table reached through several spellings
/// (a name PostgreSQL truncates, another case, another schema). A model per name and schema: EF Core would otherwise
/// reuse the first one's.
/// </summary>
public sealed class NamedTableContext(DbContextOptions<NamedTableContext> options, string table, string? schema = null) : DbContext(options)
{
    public string Table { get; } = table;

    public string? Schema { get; } = schema;

    public DbSet<NamedTableRow> Rows => Set<NamedTableRow>();

    public static DbContextOptionsBuilder<NamedTableContext> WithModelPerName(DbContextOptionsBuilder<NamedTableContext> builder)
        => builder.ReplaceService<IModelCacheKeyFactory, ModelPerNameCacheKeyFactory>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<NamedTableRow>().ToTable(Table, Schema).Property(r => r.Id).ValueGeneratedNever();

    private sealed class ModelPerNameCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime)
            => (context.GetType(), ((NamedTableContext)context).Table, ((NamedTableContext)context).Schema, designTime);
    }
}
