namespace EfRedisCache.Storage;

/// <summary>
/// The one-byte tag in front of every value <see cref="ValueCodec"/> writes. The numbers are part of the stored
/// format and of cache keys: never renumber, only append (and bump the format version when the meaning changes).
/// </summary>
internal enum ValueTypeCode : byte
{
    Null = 0,
    False = 1,
    True = 2,
    Byte = 3,
    SByte = 4,
    Int16 = 5,
    UInt16 = 6,
    Int32 = 7,
    UInt32 = 8,
    Int64 = 9,
    UInt64 = 10,
    Single = 11,
    Double = 12,
    Decimal = 13,
    String = 14,

    /// <summary>A string that is not valid UTF-16 (a lone surrogate), stored as raw UTF-16 code units.</summary>
    StringUtf16 = 15,
    Char = 16,
    Guid = 17,
    DateTime = 18,
    DateTimeOffset = 19,
    DateOnly = 20,
    TimeOnly = 21,
    TimeSpan = 22,
    Bytes = 23,

    /// <summary>A one-dimensional array of a scalar type (PostgreSQL arrays): element code, nullable flag, count, elements.</summary>
    Array = 24,

    /// <summary>A <c>List&lt;T&gt;</c> of a scalar type, laid out as <see cref="Array"/>.</summary>
    List = 25,

    /// <summary>A SQLite REAL with SQLite's text of it (<see cref="Storage.RealWithText"/>): the double's 8 bytes, then the text.</summary>
    RealWithText = 26,

    /// <summary>A PostgreSQL enum value with its label (<see cref="Storage.EnumWithLabel"/>): the underlying integer as a value, then the label.</summary>
    EnumWithLabel = 27,

    /// <summary>Used only for column types: a type outside this list, written as its assembly-qualified name.</summary>
    TypeName = 255,
}
