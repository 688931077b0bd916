using EfRedisCache.Metadata;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Reads, before a save, every table the save will write: each Added, Modified or Deleted entry's tables
/// (owned types, table splitting, TPH/TPT/TPC, join tables of many-to-many included) and, for deletes, the
/// tables the database changes through cascading foreign keys.
/// </summary>
internal static class ChangeTrackerInvalidation
{
    public static InvalidationSet Collect(DbContext context, string databaseId)
    {
        var set = new InvalidationSet(databaseId);
        var info = ModelCacheInfo.For(context.Model);

        // Entries() runs DetectChanges when auto-detection is on, as SaveChanges is about to.
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                var tables = info.TablesWrittenBy(entry.Metadata, entry.State);
                if (tables is null)
                {
                    set.WholeDatabase = true;
                }
                else
                {
                    set.Tables.UnionWith(tables);
                }
            }
        }

        return set;
    }
}
