namespace EfRedisCache.Invalidation;

/// <summary>
/// What <see cref="TransactionInvalidations.TakeEnded"/> hands a command: <see cref="Deferred"/>, what external
/// transactions that have ended owe, for this caller to publish and then end <see cref="Publication"/> with
/// <see cref="TransactionInvalidations.EndPublication"/>; and <see cref="Running"/>, the publications other callers took
/// before and have not finished, which this caller waits for before it reads.
/// </summary>
internal readonly record struct EndedExternalTransactions(
    List<DeferredInvalidation>? Deferred,
    TaskCompletionSource? Publication,
    Task[] Running);
