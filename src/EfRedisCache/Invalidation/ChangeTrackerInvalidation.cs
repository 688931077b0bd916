using EfRedisCache.Metadata;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Reads, before a save, everything the save will write: each Added, Modified or Deleted entry's tables
/// (owned types, table splitting, TPH/TPT/TPC, join tables of many-to-many included) and rows, and, for
/// deletes, the tables the database changes through cascading foreign keys.
/// </summary>
internal static class ChangeTrackerInvalidation
{
    public static InvalidationSet Collect(DbContext context, string databaseId, bool rowLevel)
    {
        var set = new InvalidationSet(databaseId);
        var info = ModelCacheInfo.For(context.Model);

        // Entries() runs DetectChanges when auto-detection is on, as SaveChanges is about to.
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            if (info.WritesOf(entry.Metadata) is not { WritesUnknownTables: false } writes)
            {
                set.WholeDatabase = true;
                continue;
            }

            set.Tables.UnionWith(writes.OwnTables);
            if (entry.State == EntityState.Deleted)
            {
                set.BulkTables.UnionWith(writes.CascadeTables);
            }

            if (!rowLevel || writes.KeyProperty is not { } key)
            {
                continue;
            }

            if (entry.State == EntityState.Added)
            {
                set.AddAddedRow(entry, key, writes.RowKeyedTables);
            }
            else if (RowKey.Format(entry.Property(key).OriginalValue) is { } value)
            {
                foreach (var table in writes.RowKeyedTables)
                {
                    set.Rows.Add((table, value));
                }
            }
            else
            {
                set.BulkTables.UnionWith(writes.RowKeyedTables);
            }
        }

        return set;
    }
}
