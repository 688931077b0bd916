using System.Data.Common;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Per-DbContext bookkeeping: the tables a running SaveChanges will write, and the invalidations held back
/// until a transaction commits (DESIGN.md invariant 4). Reads inside a transaction that has written bypass
/// the cache, so the writer never sees its own uncommitted rows cached, nor pre-write rows.
/// </summary>
internal sealed class ContextCacheState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<DbTransaction, List<InvalidationSet>> _pending = new(ReferenceEqualityComparer.Instance);

    public InvalidationSet? SaveInProgress { get; set; }

    public void Defer(DbTransaction transaction, InvalidationSet set)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(transaction, out var sets))
            {
                sets = [];
                _pending[transaction] = sets;
            }

            sets.Add(set);
        }
    }

    public bool HasWritten(DbTransaction transaction)
    {
        lock (_lock)
        {
            return _pending.ContainsKey(transaction);
        }
    }

    /// <summary>Removes and returns what <paramref name="transaction"/> deferred.</summary>
    public List<InvalidationSet>? Take(DbTransaction transaction)
    {
        lock (_lock)
        {
            return _pending.Remove(transaction, out var sets) ? sets : null;
        }
    }
}
