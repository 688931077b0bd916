using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace EfRedisCache.Storage;

/// <summary>
/// One collection type the codec stores (<c>int[]</c>, <c>List&lt;string&gt;</c>, <c>int?[]</c>, …): its element type
/// and code, and delegates that build and copy it. Reflection runs once per type and the shape is kept, so a
/// list parameter in a cache key, an array column decoded from Redis or a list handed out by a replay costs no
/// reflection per value — a hit on rows kept in process copies every list cell it replays.
/// </summary>
internal sealed class CollectionShape
{
    private static readonly ConcurrentDictionary<Type, CollectionShape?> ByType = new();

    /// <summary>Decoding names a shape by (element code, nullable, list): indexed by <see cref="DecodeSlot"/>.</summary>
    private static readonly CollectionShape?[] ByCode = new CollectionShape?[256 * 4];

    private readonly Func<Array, object> _fromArray;
    private readonly Func<object, object> _copy;

    private CollectionShape(Type element, Type scalar, ValueTypeCode elementCode, bool isList)
    {
        Element = element;
        Scalar = scalar;
        ElementCode = elementCode;
        IsList = isList;
        IsNullable = element != scalar;
        if (isList)
        {
            _fromArray = Delegate<Func<Array, object>>(nameof(ListOf), element);
            _copy = Delegate<Func<object, object>>(nameof(CopyList), element);
        }
        else
        {
            _fromArray = static array => array;
            _copy = static array => ((Array)array).Clone();
        }
    }

    /// <summary>The element type: the scalar, or <see cref="Nullable{T}"/> of it.</summary>
    public Type Element { get; }

    /// <summary>The type every non-null element has.</summary>
    public Type Scalar { get; }

    public ValueTypeCode ElementCode { get; }

    public bool IsList { get; }

    public bool IsNullable { get; }

    /// <summary>
    /// The shape of <paramref name="type"/>: <c>T[]</c> (one dimension, not <c>byte[]</c>) or <c>List&lt;T&gt;</c> of
    /// a scalar the codec writes, or <c>T?</c> of one; <see langword="null"/> for any other type.
    /// </summary>
    /// <remarks>
    /// A type of a collectible assembly (a plugin's value or column type: the recording reader asks about every value's
    /// type) is never a shape, since elements are the codec's own scalars, and is not remembered: a static map would
    /// keep its assembly loaded after the plugin's host unloaded it.
    /// </remarks>
    public static CollectionShape? Of(Type type)
        => ByType.TryGetValue(type, out var shape) ? shape : type.IsCollectible ? null : ByType.GetOrAdd(type, Create);

    /// <summary>The shape a payload names; <see cref="CacheEntryFormatException"/> when it names none.</summary>
    public static CollectionShape ForDecoding(ValueTypeCode elementCode, bool nullable, bool isList)
    {
        var slot = DecodeSlot(elementCode, nullable, isList);
        if (ByCode[slot] is { } known)
        {
            return known;
        }

        var scalar = ValueCodec.TypeForCode(elementCode);
        if (nullable && !scalar.IsValueType)
        {
            throw new CacheEntryFormatException("A collection's nullable flag is malformed.");
        }

        var element = nullable ? typeof(Nullable<>).MakeGenericType(scalar) : scalar;
        var shape = Of(isList ? typeof(List<>).MakeGenericType(element) : element.MakeArrayType())
            ?? throw new CacheEntryFormatException($"A collection cannot hold values of type code {(byte)elementCode}.");
        return ByCode[slot] = shape;
    }

    /// <summary>The collection of this shape holding <paramref name="items"/> (an array of <see cref="Element"/>), which it may keep.</summary>
    public object FromArray(Array items) => _fromArray(items);

    /// <summary>A copy of <paramref name="collection"/>, a collection of this shape; its elements are immutable scalars.</summary>
    public object Copy(object collection) => _copy(collection);

    private static int DecodeSlot(ValueTypeCode elementCode, bool nullable, bool isList)
        => ((byte)elementCode * 2 + (nullable ? 1 : 0)) * 2 + (isList ? 1 : 0);

    private static CollectionShape? Create(Type type)
    {
        var isList = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);
        var element = isList ? type.GetGenericArguments()[0]
            : type.IsSZArray && type != typeof(byte[]) ? type.GetElementType()!
            : null;
        if (element is null)
        {
            return null;
        }

        var scalar = Nullable.GetUnderlyingType(element) ?? element;
        return !scalar.IsEnum && scalar != typeof(byte[]) && scalar != typeof(DBNull) && ValueCodec.TryGetTypeCode(scalar, out var code)
            ? new CollectionShape(element, scalar, code, isList)
            : null;
    }

    private static TDelegate Delegate<TDelegate>(string method, Type element)
        where TDelegate : Delegate
        => typeof(CollectionShape).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(element).CreateDelegate<TDelegate>();

    private static List<T> ListOf<T>(Array items) => new((T[])items);

    private static List<T> CopyList<T>(object list) => new((List<T>)list);
}
