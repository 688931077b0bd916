namespace EfRedisCache.Tests.Invalidation;

/// <summary>
/// A row whose key getter waits at a gate once one is set: a set holding it as an added row makes the merge of a
/// transaction's held sets (which resolves added rows) wait there, so a test can see what the merge holds while it runs.
/// </summary>
public sealed class GatedKeyRow
{
    private int _id;

    public int Id
    {
        get
        {
            KeyRead?.Invoke();
            return _id;
        }

        set => _id = value;
    }

    /// <summary>Runs at each read of the key; not mapped.</summary>
    public Action? KeyRead { get; set; }
}
