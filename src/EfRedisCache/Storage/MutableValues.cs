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
    /// A <see cref="RealWithText"/> leaves as its double, as the provider's <c>GetValue</c> gave it. Runs for every
    /// untyped read of a cell a replay hands out: three type tests for anything but these.
    /// </summary>
    public static object Copy(object value) => value switch
    {
        byte[] bytes => bytes.AsSpan().ToArray(),
        IList when CollectionShape.Of(value.GetType()) is { } shape => shape.Copy(value),
        RealWithText real => real.Value, // what the provider's GetValue gave: a cell's text is only for typed reads
        EnumWithLabel labelled => labelled.Value, // the number, as a recorded enum always replayed
        _ => value,
    };
}
