using System.Collections;

namespace EfRedisCache.Storage;

/// <summary>
/// Cell values the application could change in place after EF Core hands them over: <c>byte[]</c> and the
/// collections <see cref="ValueCodec"/> stores (arrays, <c>List&lt;T&gt;</c>). A recorded or replayed cell must
/// never be one of those very instances, or a write into an entity would change what is cached.
/// </summary>
internal static class MutableValues
{
    /// <summary>
    /// <paramref name="value"/> itself when it cannot be changed in place, else a copy (elements are immutable
    /// scalars). Only values the codec stores reach here, so every collection has a <see cref="CollectionShape"/>.
    /// Runs for every reference-typed cell a replay hands out: two type tests for anything but these.
    /// </summary>
    public static object Copy(object value) => value switch
    {
        byte[] bytes => bytes.AsSpan().ToArray(),
        IList when CollectionShape.Of(value.GetType()) is { } shape => shape.Copy(value),
        _ => value,
    };
}
