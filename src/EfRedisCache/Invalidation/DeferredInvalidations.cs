namespace EfRedisCache.Invalidation;

/// <summary>
/// What a transaction holds back until it ends (<see cref="TransactionInvalidations"/>, <see cref="RawSqlTransactions"/>,
/// <see cref="AmbientTransactionInvalidation"/>), kept bounded. Each save in it adds a set, with a key per row it wrote:
/// an import that saves in batches and clears its change tracker inside one transaction held a set and a row key for
/// every row it ever wrote, while EF Core held one batch, and its commit sent one bump naming them all (found by review,
/// <c>Invalidation/DeferredInvalidationBoundUnitTests</c>, <c>WritePath/LargeSaveInvalidationTests</c>). Once
/// <see cref="MaxEntries"/> sets, or more rows than one bump names (<see cref="InvalidationSet.MaxRowKeys"/>), are held,
/// they are merged into one set per registration and database, bounded as a bump is (<see cref="InvalidationSet.BoundRows"/>):
/// rows past the bound are named by their tables' bulk epochs, which every key lookup of those tables depends on —
/// more misses after the commit, never a lookup left alive.
/// </summary>
internal static class DeferredInvalidations
{
    /// <summary>Sets held before they are merged.</summary>
    internal const int MaxEntries = 64;

    /// <summary>Adds <paramref name="item"/> to <paramref name="deferred"/>. Sets already held are never changed: copies of the list may be being published.</summary>
    public static void Append(List<DeferredInvalidation> deferred, DeferredInvalidation item)
    {
        deferred.Add(item);
        if (deferred.Count >= MaxEntries || RowsHeld(deferred) > InvalidationSet.MaxRowKeys)
        {
            Merge(deferred);
        }
    }

    private static int RowsHeld(List<DeferredInvalidation> deferred)
    {
        var rows = 0;
        foreach (var item in deferred)
        {
            rows += item.Set.Rows.Count;
        }

        return rows;
    }

    private static void Merge(List<DeferredInvalidation> deferred)
    {
        var merged = new List<DeferredInvalidation>();
        foreach (var group in deferred.GroupBy(static d => (d.Publisher, d.Set.DatabaseId)))
        {
            var set = new InvalidationSet(group.Key.DatabaseId);
            foreach (var item in group)
            {
                set.Add(item.Set);
            }

            set.BoundRows();
            merged.Add(new DeferredInvalidation(group.Key.Publisher, set));
        }

        deferred.Clear();
        deferred.AddRange(merged);
    }
}
