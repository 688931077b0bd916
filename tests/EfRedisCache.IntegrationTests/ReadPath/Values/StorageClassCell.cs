namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// A nullable property of every CLR type EF Core maps on SQLite, each over an untyped column (BLOB affinity), so raw
/// SQL can leave any storage class in it — INTEGER, REAL, TEXT, BLOB or NULL — as another application may.
/// </summary>
public class StorageClassCell
{
    public int Id { get; set; }

    public bool? OfBool { get; set; }

    public byte? OfByte { get; set; }

    public sbyte? OfSByte { get; set; }

    public short? OfInt16 { get; set; }

    public ushort? OfUInt16 { get; set; }

    public int? OfInt32 { get; set; }

    public uint? OfUInt32 { get; set; }

    public long? OfInt64 { get; set; }

    public ulong? OfUInt64 { get; set; }

    public float? OfSingle { get; set; }

    public double? OfDouble { get; set; }

    public decimal? OfDecimal { get; set; }

    public char? OfChar { get; set; }

    public string? OfString { get; set; }

    public Guid? OfGuid { get; set; }

    public byte[]? OfBytes { get; set; }

    public DateTime? OfDateTime { get; set; }

    public DateTimeOffset? OfDateTimeOffset { get; set; }

    public DateOnly? OfDateOnly { get; set; }

    public TimeOnly? OfTimeOnly { get; set; }

    public TimeSpan? OfTimeSpan { get; set; }

    public Shade? OfNumberEnum { get; set; }

    public Shade? OfTextEnum { get; set; }
}
