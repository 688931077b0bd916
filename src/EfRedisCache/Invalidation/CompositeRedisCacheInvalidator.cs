using System.Runtime.ExceptionServices;

namespace EfRedisCache.Invalidation;

/// <summary>
/// The injected invalidator when several context types registered one: each invalidation goes to every context
/// it applies to, so none is left serving what the caller meant to invalidate. Every one is attempted; the first
/// failure is rethrown after the rest ran (each failed one is pending, as for a single context). A cancelled token is
/// such a failure too: it ends each one's wait, not its invalidation.
/// </summary>
internal sealed class CompositeRedisCacheInvalidator : IRedisCacheInvalidator
{
    private readonly RedisCacheInvalidator[] _invalidators;

    public CompositeRedisCacheInvalidator(IReadOnlyList<IRedisCacheInvalidator> invalidators)
    {
        _invalidators = [.. invalidators.Cast<RedisCacheInvalidator>()];
    }

    public Task InvalidateEntityAsync<TEntity>(CancellationToken cancellationToken = default)
        where TEntity : class
        => InvalidateEntityAsync(typeof(TEntity), cancellationToken);

    public Task InvalidateEntityAsync(Type entityType, CancellationToken cancellationToken = default)
    {
        var mapping = Mapping(entityType);
        return RunAsync(mapping, i => i.InvalidateEntityAsync(entityType, cancellationToken));
    }

    public Task InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        var list = tags?.ToArray() ?? throw new ArgumentNullException(nameof(tags));
        return RunAsync(_invalidators, i => i.InvalidateTagsAsync(list, cancellationToken));
    }

    public Task InvalidateAllAsync(CancellationToken cancellationToken = default)
        => RunAsync(_invalidators, i => i.InvalidateAllAsync(cancellationToken));

    public void InvalidateEntity(Type entityType)
    {
        var mapping = Mapping(entityType);
        Run(mapping, i => i.InvalidateEntity(entityType));
    }

    public void InvalidateTags(IEnumerable<string> tags)
    {
        var list = tags?.ToArray() ?? throw new ArgumentNullException(nameof(tags));
        Run(_invalidators, i => i.InvalidateTags(list));
    }

    public void InvalidateAll() => Run(_invalidators, static i => i.InvalidateAll());

    /// <summary>The synchronous calls go through <see cref="RunAsync"/> too, with delegates that complete before they return.</summary>
    private static void Run(RedisCacheInvalidator[] invalidators, Action<RedisCacheInvalidator> invalidate)
        => RunAsync(invalidators, i =>
        {
            invalidate(i);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    /// <summary>The contexts whose model maps <paramref name="entityType"/>; none is an error, as for one context.</summary>
    private RedisCacheInvalidator[] Mapping(Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        var mapping = Array.FindAll(_invalidators, i => i.Maps(entityType));
        if (mapping.Length == 0)
        {
            throw new ArgumentException(
                $"'{entityType.Name}' is not an entity type mapped to a table, view or function in the model of any context registered with AddRedisCacheInvalidator.",
                nameof(entityType));
        }

        return mapping;
    }

    private static async Task RunAsync(RedisCacheInvalidator[] invalidators, Func<RedisCacheInvalidator, Task> invalidate)
    {
        ExceptionDispatchInfo? first = null;
        foreach (var invalidator in invalidators)
        {
            try
            {
                await invalidate(invalidator).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                first ??= ExceptionDispatchInfo.Capture(exception);
            }
        }

        first?.Throw();
    }
}
