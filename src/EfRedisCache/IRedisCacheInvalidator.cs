namespace EfRedisCache;

/// <summary>
/// Invalidates cached queries by hand, for writes the cache cannot see (another application, a trigger,
/// a stored procedure). Get one from a context with
/// <see cref="RedisCacheAsideDbContextExtensions.GetCacheInvalidator"/>, or inject it after
/// <see cref="RedisCacheAsideServiceCollectionExtensions.AddRedisCacheInvalidator{TContext}"/>.
/// Invalidation is O(1) per table or tag, whatever the number of cached queries.
/// </summary>
/// <remarks>
/// Unlike queries and saves, which never see an exception from the cache, these methods tell their caller when
/// Redis did not take the invalidation: they throw what StackExchange.Redis or the <c>RedisTimeout</c> budget
/// raised (<see cref="StackExchange.Redis.RedisConnectionException"/>, <see cref="StackExchange.Redis.RedisTimeoutException"/>,
/// <see cref="TimeoutException"/>). The invalidation is kept all the same: this process replays it every 200 ms
/// until Redis takes it, and serves no hits meanwhile.
/// </remarks>
public interface IRedisCacheInvalidator
{
    /// <summary>Invalidates every cached query that reads the tables of <typeparamref name="TEntity"/> in this context's database.</summary>
    /// <typeparam name="TEntity">An entity type of the context's model.</typeparam>
    /// <param name="cancellationToken">Ends the wait, not the invalidation: it is made (and kept for replay when Redis does not take it) also when the token is cancelled, since the write it follows has committed.</param>
    /// <returns>A task that completes when Redis has the invalidation.</returns>
    /// <exception cref="ArgumentException">The type is not an entity type of the model.</exception>
    Task InvalidateEntityAsync<TEntity>(CancellationToken cancellationToken = default)
        where TEntity : class;

    /// <summary>Invalidates every cached query that reads the tables of <paramref name="entityType"/> in this context's database.</summary>
    /// <param name="entityType">An entity type of the context's model.</param>
    /// <param name="cancellationToken">Ends the wait, not the invalidation: it is made (and kept for replay when Redis does not take it) also when the token is cancelled, since the write it follows has committed.</param>
    /// <returns>A task that completes when Redis has the invalidation.</returns>
    /// <exception cref="ArgumentException">The type is not an entity type of the model.</exception>
    Task InvalidateEntityAsync(Type entityType, CancellationToken cancellationToken = default);

    /// <summary>Invalidates every cached query marked with any of <paramref name="tags"/>, in every database under this key prefix.</summary>
    /// <param name="tags">The tags given to <c>Cacheable(ttl, tags)</c>.</param>
    /// <param name="cancellationToken">Ends the wait, not the invalidation: it is made (and kept for replay when Redis does not take it) also when the token is cancelled, since the write it follows has committed.</param>
    /// <returns>A task that completes when Redis has the invalidation.</returns>
    /// <exception cref="ArgumentException">A tag is empty, too long, or holds white space or a comma, as <c>Cacheable(ttl, tags)</c> refuses too.</exception>
    Task InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default);

    /// <summary>Invalidates every cached query under this key prefix, in every database.</summary>
    /// <param name="cancellationToken">Ends the wait, not the invalidation: it is made (and kept for replay when Redis does not take it) also when the token is cancelled, since the write it follows has committed.</param>
    /// <returns>A task that completes when Redis has the invalidation.</returns>
    Task InvalidateAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Synchronous <see cref="InvalidateEntityAsync{TEntity}(CancellationToken)"/>.</summary>
    /// <typeparam name="TEntity">An entity type of the context's model.</typeparam>
    /// <exception cref="ArgumentException">The type is not an entity type of the model.</exception>
    void InvalidateEntity<TEntity>()
        where TEntity : class
        => InvalidateEntity(typeof(TEntity));

    /// <summary>Synchronous <see cref="InvalidateEntityAsync(Type, CancellationToken)"/>.</summary>
    /// <param name="entityType">An entity type of the context's model.</param>
    /// <exception cref="ArgumentException">The type is not an entity type of the model.</exception>
    void InvalidateEntity(Type entityType);

    /// <summary>Synchronous <see cref="InvalidateTagsAsync"/>.</summary>
    /// <param name="tags">The tags given to <c>Cacheable(ttl, tags)</c>.</param>
    /// <exception cref="ArgumentException">A tag is empty, too long, or holds white space or a comma, as <c>Cacheable(ttl, tags)</c> refuses too.</exception>
    void InvalidateTags(IEnumerable<string> tags);

    /// <summary>Synchronous <see cref="InvalidateAllAsync"/>.</summary>
    void InvalidateAll();
}
