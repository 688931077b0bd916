namespace EfRedisCache.Invalidation;

/// <summary>
/// What a transaction holds back until it ends (<see cref="TransactionInvalidations"/>, <see cref="RawSqlTransactions"/>,
/// <see cref="AmbientTransactionInvalidation"/>), kept bounded. Each save in it adds a set, with a key per row it wrote:
/// an import that saves in batches and clears its change tracker inside one transaction held a set and a row key for
/// every row it ever wrote, while EF Core held one batch, and its commit sent one bump naming them all (found by review,
/// <c>Invalidation/DeferredInvalidationBoundUnitTests</c>, <c>WritePath/LargeSaveInvalidationTests</c>). Once
/// <see cref="MaxEntries"/> sets, or more rows than one bump names (<see cref="InvalidationSet.MaxRowKeys"/>), are held
/// besides what an earlier merge made, they are merged into one set per registration and database, bounded as a bump is
/// (<see cref="InvalidationSet.BoundRows"/>): rows past the bound are named by their tables' bulk epochs, which every
/// key lookup of those tables depends on — more misses after the commit, never a lookup left alive. Merged sets do not
/// count toward the next merge: each is bounded on its own, but two of them (two databases, two registrations) may
/// hold more than the bound together, and counted, they made every later save merge and copy them all again.
/// </summary>
internal static class DeferredInvalidations
{
    /// <summary>Sets held before they are merged.</summary>
    internal const int MaxEntries = 64;

    /// <summary>
    /// Adds <paramref name="item"/> to <paramref name="deferred"/>, under the caller's lock; returns the sets to merge when a
    /// merge is due, else null. The caller leaves its lock and hands them to <see cref="MergeOutsideLock"/>: the registries' locks are process-wide, and every read inside
    /// any transaction takes one, so a merge of thousands of rows run under it stalled them all for its milliseconds
    /// (<c>Invalidation/MergeOutsideLockUnitTests</c>). Meanwhile the list holds the sets themselves: a reader sees them or
    /// their merge, never neither. Sets already held are never changed: copies of the list may be being published.
    /// </summary>
    public static DeferredInvalidation[]? Append(List<DeferredInvalidation> deferred, DeferredInvalidation item)
    {
        deferred.Add(item);
        var (sets, rows) = NotYetMerged(deferred);
        return sets >= MaxEntries || rows > InvalidationSet.MaxRowKeys ? [.. deferred] : null;
    }

    /// <summary>
    /// The rest of a merge <see cref="Append"/> found due: merges <paramref name="toMerge"/> with no lock held, then, under
    /// <paramref name="gate"/> (the registry's lock <see cref="Append"/> ran under), puts the merge in place of those sets
    /// while <paramref name="isStillHeld"/> finds <paramref name="deferred"/> still its transaction's list and the list
    /// still begins with them. A transaction that ended meanwhile publishes the sets themselves, which is as right; a merge
    /// another save put in place first (two contexts saving in one transaction at once) leaves this one dropped, and a
    /// later save merges again.
    /// </summary>
    public static void MergeOutsideLock<TOwner>(
        Lock gate, TOwner owner, List<DeferredInvalidation> deferred, DeferredInvalidation[] toMerge, Func<TOwner, List<DeferredInvalidation>, bool> isStillHeld)
    {
        var merged = PerRegistration(toMerge);
        lock (gate)
        {
            if (isStillHeld(owner, deferred) && BeginsWith(deferred, toMerge))
            {
                deferred.RemoveRange(0, toMerge.Length);
                deferred.InsertRange(0, merged);
            }
        }
    }

    private static bool BeginsWith(List<DeferredInvalidation> deferred, DeferredInvalidation[] sets)
    {
        if (deferred.Count < sets.Length)
        {
            return false;
        }

        for (var i = 0; i < sets.Length; i++)
        {
            if (!deferred[i].Equals(sets[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static (int Sets, int Rows) NotYetMerged(List<DeferredInvalidation> deferred)
    {
        var (sets, rows) = (0, 0);
        foreach (var item in deferred)
        {
            if (!item.Merged)
            {
                sets++;
                rows += item.Set.Rows.Count;
            }
        }

        return (sets, rows);
    }

    /// <summary>
    /// <paramref name="deferred"/> merged into one set per registration and database, each bounded as a bump is: what a
    /// transaction's end publishes, and what a long transaction keeps in place of its sets.
    /// </summary>
    public static List<DeferredInvalidation> PerRegistration(IEnumerable<DeferredInvalidation> deferred)
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
            merged.Add(new DeferredInvalidation(group.Key.Publisher, set, Merged: true));
        }

        return merged;
    }
}
