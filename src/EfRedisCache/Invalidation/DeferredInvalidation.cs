namespace EfRedisCache.Invalidation;

/// <summary>
/// An invalidation held back until its transaction ends, with the publisher of the registration that made it:
/// whichever context sees the transaction end, the bump goes to that registration's Redis and key prefix.
/// <see cref="Merged"/>: the set is what <see cref="DeferredInvalidations"/> made of earlier ones, already bounded.
/// </summary>
internal readonly record struct DeferredInvalidation(InvalidationPublisher Publisher, InvalidationSet Set, bool Merged = false);
