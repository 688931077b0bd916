namespace EfRedisCache.Invalidation;

/// <summary>Per-DbContext bookkeeping: what a running SaveChanges will write, collected before it runs.</summary>
internal sealed class ContextCacheState
{
    public InvalidationSet? SaveInProgress { get; set; }

    /// <summary>Whether the save's first command collected its entries again (<see cref="ChangeTrackerInvalidation.CollectAgain"/>).</summary>
    public bool SaveCollectedAgain { get; set; }
}
