using StackExchange.Redis;

namespace EfRedisCache.Keys;

/// <summary>
/// Every Redis key name the cache uses, in one place (DESIGN.md, "Redis layout"). Table names, tags and integer row
/// keys (<see cref="Row"/>: a key lookup's parameter, a saved row's key) appear in clear text; SQL and other parameter
/// values never do — entries are named by a hash. Every name starts
/// with the prefix as a Redis Cluster hash tag (<see cref="ClusterHashTag"/>), so all of them share one slot.
/// </summary>
internal sealed class RedisKeyNames
{
    private readonly string _prefix;

    public RedisKeyNames(string prefix)
    {
        _prefix = ClusterHashTag.KeyStart(prefix);
        GlobalEpoch = $"{_prefix}:v:all";
        Server = $"{_prefix}:server";
        PrimaryProbe = $"{_prefix}:primary";
    }

    /// <summary>The run_id of the Redis process this prefix's versions were last confirmed on (<see cref="Resilience.FailoverGuard"/>).</summary>
    public RedisKey Server { get; }

    /// <summary>
    /// A key nothing ever writes. Deleting it changes nothing and is not replicated, but it is a write, which a
    /// read-only replica refuses: sent with a read, it proves a primary served the read
    /// (<see cref="Redis.RedisCacheStore.ProvePrimaryAsync"/>).
    /// </summary>
    public RedisKey PrimaryProbe { get; }

    /// <summary>Bumped by "invalidate everything": every entry depends on it.</summary>
    public RedisKey GlobalEpoch { get; }

    /// <summary>
    /// The entry of the query keyed <paramref name="hash"/>; <paramref name="byRow"/> when its dependencies are its row's
    /// version (<see cref="RedisCacheAsideOptions.RowLevelInvalidation"/>), not its tables'. Named apart: registrations of
    /// both settings on one prefix read other versions for one query, and under one name each took the other's stampede
    /// lock as a leader's that read before a write, and replaced the other's entry, on every miss (<c>MixedSettingsTests</c>).
    /// </summary>
    public RedisKey Entry(string hash, bool byRow = false) => byRow ? $"{_prefix}:q:{hash}:r" : $"{_prefix}:q:{hash}";

    /// <summary>The stampede lock of an entry (<see cref="Entry"/>): held by the one caller that queries the database for it.</summary>
    public RedisKey Lock(string hash, bool byRow = false) => byRow ? $"{_prefix}:lock:{hash}:r" : $"{_prefix}:lock:{hash}";

    /// <summary>Bumped by a write whose target tables cannot be told: every entry of the database depends on it.</summary>
    public RedisKey DatabaseEpoch(string database) => $"{_prefix}:v:{database}:e";

    /// <summary>Bumped by every write to the database: queries over sources the cache cannot see into (views, functions, raw SQL over unknown tables) depend on it.</summary>
    public RedisKey DatabaseWrites(string database) => $"{_prefix}:v:{database}:w";

    public RedisKey Table(string database, string table) => $"{_prefix}:v:{database}:t:{table}";

    /// <summary>Bumped by writes to rows the cache cannot name (bulk, raw SQL, database cascades): key lookups of the table depend on it.</summary>
    public RedisKey TableBulk(string database, string table) => $"{_prefix}:v:{database}:t:{table}:b";

    /// <summary>The version of one row; a key lookup depends on it and on the table's bulk epoch only.</summary>
    public RedisKey Row(string database, string table, string key) => RowPrefix(database, table) + key;

    /// <summary>The name of <see cref="Row"/> without the key, for callers that append many keys to one prefix.</summary>
    public string RowPrefix(string database, string table) => $"{_prefix}:v:{database}:t:{table}:r:";

    public RedisKey Tag(string tag) => $"{_prefix}:v:tag:{tag}";
}
