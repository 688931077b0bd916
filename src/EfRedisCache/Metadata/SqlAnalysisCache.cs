using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace EfRedisCache.Metadata;

/// <summary>
/// Analyses of SQL texts for one model, remembered by text, bounded in count and in the characters of the texts it
/// holds: an application that inlines values (raw SQL built by hand, a bulk <c>INSERT … VALUES</c>, <c>EF.Constant</c>,
/// a long <c>IN</c> list) sends a new text each time, and ten thousand texts the size of a bulk insert held gigabytes
/// (found by review, <c>Metadata/SqlAnalysisCacheBoundUnitTests</c>). Past either bound it starts empty again: an
/// analysis follows from the text and the model alone, so forgetting one costs only its recomputation.
/// </summary>
/// <typeparam name="TAnalysis">A read's or a write's analysis.</typeparam>
internal sealed class SqlAnalysisCache<TAnalysis>
    where TAnalysis : class
{
    private readonly ConcurrentDictionary<string, TAnalysis> _byText = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int _maxCount;
    private readonly long _maxCharacters;
    private long _characters;
    private int _count; // kept under the lock: the dictionary's own count takes all its locks

    public SqlAnalysisCache(int maxCount, long maxCharacters)
    {
        _maxCount = maxCount;
        _maxCharacters = maxCharacters;
    }

    /// <summary>The characters of the texts held now.</summary>
    public long Characters => Volatile.Read(ref _characters);

    public bool TryGetValue(string sql, [MaybeNullWhen(false)] out TAnalysis analysis) => _byText.TryGetValue(sql, out analysis);

    public void Remember(string sql, TAnalysis analysis)
    {
        // One text this long would push out a sixteenth of the others at once. Its own analysis costs a scan of it
        // anyway, and a query EF Core runs again hands the same text instance, found without this cache.
        if (sql.Length > _maxCharacters / 16)
        {
            return;
        }

        // Under a lock so that the count of characters is exact; taken only after a text was analysed, which scanned it.
        lock (_lock)
        {
            if (_count >= _maxCount || _characters + sql.Length > _maxCharacters)
            {
                _byText.Clear();
                _count = 0;
                Volatile.Write(ref _characters, 0);
            }

            if (_byText.TryAdd(sql, analysis))
            {
                _count++;
                Volatile.Write(ref _characters, _characters + sql.Length);
            }
        }
    }
}
