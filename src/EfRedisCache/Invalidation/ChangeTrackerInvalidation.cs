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
    /// <summary>
    /// Before the save (SavingChanges), without detecting changes: EF Core detects them itself after SavingChanges, and a
    /// detection of the cache's own scanned every tracked entity a second time per save (twice EF Core's cost with a
    /// large change tracker: <c>WritePath/ChangeDetectionCountTests</c>). What only detection finds (a property set on a
    /// snapshot-tracked entity) is collected when the save's first command has run or failed (<see cref="CollectAgain"/>),
    /// before the save publishes; a save that sends no command writes nothing.
    /// </summary>
    /// <remarks>
    /// Added rows are left to the second collection: their keys are read after the save anyway, and the second collection
    /// runs whenever a command of the save has (run, failed or canceled: <c>CommandWriteInvalidation</c>), while a save that
    /// sent none wrote no row. Held by both, every added entry was held and its key read twice, 0.1–0.2 s per 100,000 added
    /// rows (found by review, stop 24, <c>Invalidation/AddedRowsCollectedOnceUnitTests</c>). Their tables are collected here.
    /// </remarks>
    public static InvalidationSet Collect(DbContext context, string databaseId)
    {
        var set = new InvalidationSet(databaseId);
        CollectWithoutDetecting(set, context, addedRows: false);
        return set;
    }

    /// <summary>
    /// Again once the save's first command has run or failed, into the same set. Between SavingChanges and the commands, EF Core
    /// detects changes, cascades (an orphan removed with <c>DeleteOrphansTiming.OnSaveChanges</c> becomes Deleted
    /// only then, and with it the tables the database cascades to) and interceptors registered after the cache may
    /// add entries. Changes were detected already: detecting them again mid-save would only cost time.
    /// </summary>
    public static void CollectAgain(DbContext context, InvalidationSet set) => CollectWithoutDetecting(set, context, addedRows: true);

    private static void CollectWithoutDetecting(InvalidationSet set, DbContext context, bool addedRows)
    {
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            CollectInto(set, context, addedRows);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// Rows are always collected, whatever this registration's <see cref="RedisCacheAsideOptions.RowLevelInvalidation"/>:
    /// another registration over the same database may cache key lookups that depend on row versions alone.
    /// </summary>
    private static void CollectInto(InvalidationSet set, DbContext context, bool addedRows)
    {
        var info = ModelCacheInfo.For(context.Model);
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
            set.BulkTables.UnionWith(writes.UnnamedRowTables);
            if (entry.State == EntityState.Deleted)
            {
                set.BulkTables.UnionWith(writes.CascadeTables);
            }

            if (writes.KeyProperty is not { } key)
            {
                continue;
            }

            if (entry.State == EntityState.Added)
            {
                if (addedRows)
                {
                    set.AddAddedRow(entry, key, writes.RowKeyedTables);
                }
            }
            else if (RowKey.Of(key, entry.Property(key).OriginalValue) is { } value)
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
    }
}
