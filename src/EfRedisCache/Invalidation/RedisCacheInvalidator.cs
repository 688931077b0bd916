using EfRedisCache.Keys;
using EfRedisCache.Metadata;
using EfRedisCache.Resilience;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace EfRedisCache.Invalidation;

/// <summary>
/// Manual invalidation, bound to one context's model and database. Unlike the automatic path it reports
/// failure: the caller asked for the invalidation and must know when it did not reach Redis.
/// </summary>
internal sealed class RedisCacheInvalidator : IRedisCacheInvalidator
{
    private readonly CacheRuntime _runtime;
    private readonly DbContext _context;

    /// <summary>
    /// Resolved while the context is alive: tags and "all" are invalidated after it is disposed too, and an invalidation
    /// Redis did not take is delivered later by the replay, which says so through this logger.
    /// </summary>
    private readonly ILogger _logger;

    public RedisCacheInvalidator(CacheRuntime runtime, DbContext context)
    {
        _runtime = runtime;
        _context = context;
        _logger = runtime.LoggerFor(context);
    }

    public Task InvalidateEntityAsync<TEntity>(CancellationToken cancellationToken = default)
        where TEntity : class
        => InvalidateEntityAsync(typeof(TEntity), cancellationToken);

    public Task InvalidateEntityAsync(Type entityType, CancellationToken cancellationToken = default)
        => RunAsync(EntityKeys(entityType), cancellationToken);

    public Task InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
        => RunAsync(TagKeys(tags), cancellationToken);

    public Task InvalidateAllAsync(CancellationToken cancellationToken = default)
        => RunAsync([_runtime.Keys.GlobalEpoch], cancellationToken);

    public void InvalidateEntity(Type entityType) => Run(EntityKeys(entityType));

    public void InvalidateTags(IEnumerable<string> tags) => Run(TagKeys(tags));

    public void InvalidateAll() => Run([_runtime.Keys.GlobalEpoch]);

    /// <summary>Whether this context's model maps <paramref name="entityType"/> (or a type derived from it).</summary>
    public bool Maps(Type entityType)
        => _context.Database.IsRelational()
            ? ModelCacheInfo.For(_context.Model).TablesOf(_context.Model, entityType).Length > 0
            : _context.Model.GetEntityTypes().Any(t => entityType.IsAssignableFrom(t.ClrType));

    private RedisKey[] EntityKeys(Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        if (!_context.Database.IsRelational())
        {
            // A provider without SQL (EF Core's in-memory one): none of its queries is cached, and its model has no tables.
            return Maps(entityType) ? [] : throw NotMapped(entityType);
        }

        var model = _context.Model;
        var tables = ModelCacheInfo.For(model).TablesOf(model, entityType);
        if (tables.Length == 0)
        {
            throw NotMapped(entityType);
        }

        if (DatabaseIdentity.Of(_context.Database.GetDbConnection()) is not { } databaseId)
        {
            return []; // a private in-memory database: nothing of it is ever cached
        }

        var set = new InvalidationSet(databaseId);
        set.BulkTables.UnionWith(tables);
        return _runtime.Publisher.KeysOf(set);
    }

    private ArgumentException NotMapped(Type entityType)
        => new(
            $"'{entityType.Name}' is not an entity type mapped to a table, view or function in the model of '{_context.GetType().Name}'.",
            nameof(entityType));

    private RedisKey[] TagKeys(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var keys = new List<RedisKey>();
        foreach (var tag in tags)
        {
            CacheSettingsValidator.ValidateTag(tag, nameof(tags));
            keys.Add(_runtime.Keys.Tag(tag));
        }

        return [.. keys];
    }

    private async Task RunAsync(RedisKey[] keys, CancellationToken cancellationToken)
    {
        if (keys.Length == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        // Started whatever the token says: it ends the caller's wait, never the invalidation. The write it follows has
        // committed (a request aborted right after it), and an invalidation skipped leaves its stale rows served until their TTL.
        var bump = _runtime.Publisher.BumpAsync(keys, _logger, async: true).AsTask();
        try
        {
            await bump.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The bump goes on without its caller, and a failure of it is kept and replayed by the publisher; left
            // unobserved, it would also reach the application's UnobservedTaskException handler as an error.
            RedisCall.Observe(bump);
            throw;
        }
    }

    private void Run(RedisKey[] keys)
    {
        if (keys.Length > 0)
        {
            _runtime.Publisher.BumpAsync(keys, _logger, async: false).RunSynchronously();
        }
    }
}
