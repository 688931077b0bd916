using System.Buffers;
using StackExchange.Redis;

namespace EfRedisCache.Redis;

/// <summary>
/// The operations of the version-stamp protocol against Redis. Each returns the client's task; the caller
/// bounds the wait through <see cref="RedisAccess"/>.
/// </summary>
internal static class RedisCacheStore
{
    /// <summary>A version is INCR's decimal text, at most 20 bytes; anything longer is not a version we stored.</summary>
    private const int MaxVersionBytes = 32;

    private static readonly RedisValue[] EntryFields = ["v", "d", "c"];

    /// <summary>
    /// For every command whose reply a lookup trusts (the hit's reads and probe, the lookup and check scripts): a
    /// cluster node that no longer serves the prefix's slot answers MOVED, and StackExchange.Redis would resend the
    /// command to the node named in it — after a failover, a promoted replica that may lack bumps its old primary
    /// acknowledged, which the failover guard has not checked yet. Not followed, the reply is an error that the
    /// lookup treats like a replica's READONLY (<see cref="IsWrongServer"/>). Writes (bumps, stores) follow MOVED.
    /// </summary>
    private const CommandFlags Trusted = CommandFlags.NoRedirect;

    /// <summary>
    /// The hit path: the primary probe, MGET of the dependency versions and HMGET of the entry, pipelined in one
    /// round trip, no script and no copy of the payload through Lua. Null when it is not a clean hit (an entry
    /// missing or stale, a version key missing, a key of another type): the caller then runs
    /// <see cref="LookupAsync"/>, which seeds missing versions and takes the stampede lock — work only a miss needs.
    /// </summary>
    /// <remarks>
    /// The two reads need not be atomic. If a write's SaveChanges returned before this read began, its bump
    /// is visible to both reads, and an entry stored under the bumped versions was read from the database after
    /// the write committed (the store is a compare-and-set on versions read before the query ran).
    /// </remarks>
    /// <exception cref="RedisServerException">READONLY or MOVED: not the prefix's primary (<see cref="IsWrongServer"/>).</exception>
    public static async Task<LookupResult?> TryHitAsync(IDatabase database, RedisKey entry, RedisKey[] dependencies, RedisKey primaryProbe)
    {
        var primaryTask = ProvePrimaryAsync(database, primaryProbe);
        var versionsTask = database.StringGetAsync(dependencies, Trusted);
        var entryTask = database.HashGetAsync(entry, EntryFields, Trusted);
        RedisValue[] versions;
        RedisValue[] fields;
        try
        {
            // The entry's reply comes last on a single connection: awaited first, this method resumes once,
            // with the other replies already there, instead of once per reply.
            fields = await entryTask.ConfigureAwait(false);
            await primaryTask.ConfigureAwait(false);
            versions = await versionsTask.ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            return null; // a foreign value at the entry key: the lookup script replaces it
        }

        var stored = fields[0];
        var payload = fields[1];
        if (stored.IsNull || payload.IsNull || !VersionsEqual(stored, versions))
        {
            return null;
        }

        return new LookupResult(stored, (byte[]?)payload, fields[2], LockTaken: false);
    }

    /// <summary>
    /// The hit path for rows this process kept (<see cref="Local.LocalResultCache"/>): MGET of the dependency
    /// versions alone, after the primary probe; the caller compares them with the versions the rows were stored under.
    /// The probe's task comes back as <paramref name="primary"/>, for the caller to await after the versions (it is
    /// answered before them) through <see cref="RedisAccess.RunAsync{T}(Task{T}, Task{bool}?, bool, CancellationToken)"/>: no state machine here, which every hit on
    /// kept rows allocated.
    /// </summary>
    /// <remarks><paramref name="primary"/> fails with READONLY or MOVED: not the prefix's primary (<see cref="IsWrongServer"/>).</remarks>
    public static Task<RedisValue[]> ReadVersionsAsync(IDatabase database, RedisKey[] dependencies, RedisKey primaryProbe, out Task<bool> primary)
    {
        primary = ProvePrimaryAsync(database, primaryProbe);
        return database.StringGetAsync(dependencies, Trusted);
    }

    /// <summary>
    /// Sent just before the reads of a hit, in the same pipeline (the scripts delete the same key themselves): a DEL
    /// of <see cref="Keys.RedisKeyNames.PrimaryProbe"/>, which a read-only replica refuses with READONLY. A primary
    /// demoted by a failover keeps its clients' connections and, once it has copied the new primary's data, answers
    /// reads from a dataset that may lack invalidations it had acknowledged; StackExchange.Redis notices the new
    /// role only at its next configuration check (every 60 s by default). Reads that follow a refused probe are
    /// never trusted. The reads run right after the probe on the same server, and a demoted server first copies the
    /// new primary's data, which takes far longer than that.
    /// </summary>
    public static Task<bool> ProvePrimaryAsync(IDatabase database, RedisKey primaryProbe) => database.KeyDeleteAsync(primaryProbe, Trusted);

    /// <summary>
    /// True when the server that answered no longer serves the prefix as its primary: a read-only replica's
    /// READONLY for a write (<see cref="ProvePrimaryAsync"/>, a store, a bump), or a cluster node's MOVED for a
    /// command sent with <see cref="Trusted"/>'s flag (StackExchange.Redis reports it as "Key has MOVED to …").
    /// </summary>
    public static bool IsWrongServer(Exception exception)
        => exception is RedisServerException
            && (exception.Message.Contains("READONLY", StringComparison.Ordinal) // inside a script, Redis 6 prefixes it
                || exception.Message.Contains("MOVED", StringComparison.Ordinal));

    /// <summary>
    /// A full server refused a write (<c>maxmemory</c> under <c>noeviction</c>: "OOM command not allowed…", also from
    /// inside a script): a prompt answer of a healthy server, which still serves reads.
    /// </summary>
    public static bool IsOutOfMemory(Exception exception)
        => exception is RedisServerException server && server.Message.Contains("OOM command not allowed", StringComparison.Ordinal);

    /// <summary>
    /// True when a cluster node refused the command because the prefix's slot is moving to another node (a
    /// resharding): <c>TRYAGAIN</c> (a multi-key command over a migrating or importing slot with one of its keys
    /// missing), or <c>ASK</c>, which a command sent with <see cref="Trusted"/>'s flag does not follow and which
    /// StackExchange.Redis then reports as "Endpoint … serving hashslot … is not reachable". Redis answered, and at
    /// once: the cache is off for the prefix until the move ends, but Redis is not failing.
    /// </summary>
    /// <remarks>
    /// StackExchange.Redis words a followed redirect to a node it cannot reach the same way, so the wording counts
    /// only on a command that did not follow redirects.
    /// </remarks>
    public static bool IsSlotMigrating(Exception exception)
        => exception switch
        {
            RedisServerException server => server.Kind == RedisErrorKind.TryAgain,
            RedisConnectionException { FailureType: ConnectionFailureType.UnableToConnect } connection
                => (connection.Flags & CommandFlags.NoRedirect) != 0
                   && connection.Message.Contains(" serving hashslot ", StringComparison.Ordinal),
            _ => false,
        };

    /// <summary>
    /// Compares "v1,v2,…" (what the scripts store) with the versions just read, byte for byte, without building
    /// any string: this runs on every hit. Texts are compared, not numbers, so "012" never equals "12".
    /// </summary>
    internal static bool VersionsEqual(RedisValue stored, RedisValue[] versions)
    {
        const int MaxStackBytes = 4096;
        var storedLength = stored.GetByteCount();
        if (storedLength > (versions.Length * (MaxVersionBytes + 1)) + 1)
        {
            return false; // longer than any list of as many versions
        }

        // Most lists fit the stack; one tag per item of a list can take a query past 240 dependencies, which must
        // compare equal all the same (before, they never did: every hit re-read and decoded the rows).
        byte[]? rented = storedLength > MaxStackBytes ? ArrayPool<byte>.Shared.Rent(storedLength) : null;
        try
        {
            Span<byte> text = rented is null ? stackalloc byte[storedLength] : rented.AsSpan(0, storedLength);
            return VersionsEqual(text[..stored.CopyTo(text)], versions);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool VersionsEqual(Span<byte> text, RedisValue[] versions)
    {
        Span<byte> version = stackalloc byte[MaxVersionBytes];
        for (var i = 0; i < versions.Length; i++)
        {
            if (versions[i].IsNull || versions[i].GetByteCount() > MaxVersionBytes)
            {
                return false;
            }

            var comma = text.IndexOf((byte)',');
            var part = comma < 0 ? text : text[..comma];
            if (!part.SequenceEqual(version[..versions[i].CopyTo(version)]))
            {
                return false;
            }

            if (comma < 0)
            {
                return i == versions.Length - 1;
            }

            text = text[(comma + 1)..];
        }

        // More stored versions than dependencies; an empty list matches only an empty dependency list.
        return versions.Length == 0 && text.IsEmpty;
    }

    /// <summary>
    /// The lookup script. A version key it creates lives the entry's <c>ttl</c> and the lock's lifetime more: enough for
    /// the query to run and be stored, and the store extends it to outlive the entry.
    /// </summary>
    /// <exception cref="RedisServerException">READONLY or MOVED: not the prefix's primary (<see cref="IsWrongServer"/>).</exception>
    public static async Task<LookupResult> LookupAsync(IDatabase database, RedisKey entry, RedisKey lockKey, RedisKey[] dependencies, RedisValue lockToken, long lockMilliseconds, TimeSpan ttl, RedisKey primaryProbe)
    {
        var keys = new RedisKey[dependencies.Length + 3];
        keys[0] = entry;
        keys[1] = lockKey;
        keys[2] = primaryProbe;
        dependencies.CopyTo(keys, 3);
        var args = new RedisValue[dependencies.Length + 3];
        args[0] = lockToken;
        args[1] = lockMilliseconds;
        args[2] = (long)Math.Ceiling(ttl.TotalMilliseconds) + lockMilliseconds;
        VersionSeeds.Fill(args.AsSpan(3));
        var result = await database.ScriptEvaluateAsync(RedisScripts.Lookup, keys, args, Trusted).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        var payload = parts[1].IsNull ? null : (byte[]?)parts[1];
        var remaining = parts.Length > 4 ? (long)parts[4] : -1;
        return new LookupResult((RedisValue)parts[0], payload, parts[2].IsNull ? RedisValue.Null : (RedisValue)parts[2], (long)parts[3] == 1, remaining);
    }

    /// <summary>
    /// Nothing waits on the store: the caller already has its rows. The task is only watched for a refusal
    /// (<see cref="IsLargerThanServerAccepts"/>), which leaves the stampede lock behind.
    /// </summary>
    public static Task<RedisResult> StoreAsync(IDatabase database, RedisKey entry, RedisKey lockKey, RedisKey[] dependencies, RedisValue versions, byte[] payload, TimeSpan ttl, RedisValue meta, RedisValue lockToken)
    {
        var keys = new RedisKey[dependencies.Length + 2];
        keys[0] = entry;
        keys[1] = lockKey;
        dependencies.CopyTo(keys, 2);
        RedisValue[] args = [versions, payload, (long)Math.Ceiling(ttl.TotalMilliseconds), meta, lockToken];
        return database.ScriptEvaluateAsync(RedisScripts.Store, keys, args);
    }

    /// <summary>
    /// The server refused a value longer than its <c>proto-max-bulk-len</c> ("Protocol error: invalid bulk length"),
    /// and closed the connection after saying so, failing every command in flight on it.
    /// </summary>
    public static bool IsLargerThanServerAccepts(Exception exception)
        => exception is RedisServerException server && server.Message.Contains("invalid bulk length", StringComparison.Ordinal);

    /// <summary>Best effort, fire-and-forget: a lock that cannot be released expires by itself after <c>StampedeWaitTimeout</c>.</summary>
    public static void TryReleaseLock(IDatabase database, RedisKey lockKey, RedisValue lockToken)
    {
        try
        {
            var release = ReleaseLockAsync(database, lockKey, lockToken, CommandFlags.FireAndForget);
            if (!release.IsCompletedSuccessfully)
            {
                // A disposed multiplexer fails even a fire-and-forget command, through its task: unobserved, that
                // surfaced as an UnobservedTaskException (RegistrationLifetimeTests).
                Resilience.RedisCall.Observe(release);
            }
        }
        catch (Exception)
        {
            // Not connected: the lock expires by itself.
        }
    }

    /// <summary>Frees the stampede lock if <paramref name="lockToken"/> still holds it; the task says whether Redis took the command.</summary>
    public static Task<RedisResult> ReleaseLockAsync(IDatabase database, RedisKey lockKey, RedisValue lockToken, CommandFlags flags = CommandFlags.None)
        => database.ScriptEvaluateAsync(RedisScripts.ReleaseLock, [lockKey], [lockToken], flags);

    public static Task<RedisResult> BumpAsync(IDatabase database, RedisKey[] versionKeys)
    {
        var seeds = new RedisValue[versionKeys.Length];
        VersionSeeds.Fill(seeds);
        return database.ScriptEvaluateAsync(RedisScripts.Bump, versionKeys, seeds);
    }

    /// <summary><see cref="RedisScripts.CheckServer"/>: 0 the marker matched, 1 it named another process, 2 there was none (both bump the epoch), -1 no run_id.</summary>
    /// <exception cref="RedisServerException">READONLY or MOVED: not the prefix's primary (<see cref="IsWrongServer"/>).</exception>
    public static async Task<long> CheckServerAsync(IDatabase database, RedisKey marker, RedisKey globalEpoch, RedisKey primaryProbe)
    {
        var seed = new RedisValue[1];
        VersionSeeds.Fill(seed);
        return (long)await database.ScriptEvaluateAsync(RedisScripts.CheckServer, [marker, globalEpoch, primaryProbe], seed, Trusted).ConfigureAwait(false);
    }

    public static void Delete(IDatabase database, RedisKey entry)
        => database.KeyDelete(entry, CommandFlags.FireAndForget);
}
