namespace EfRedisCache.Storage;

/// <summary>
/// A PostgreSQL enum value the recording reader took with <c>GetValue</c> (EF Core skipped the cell), kept with its
/// label. Npgsql's <c>GetValue</c> reads an enum type mapped with <c>MapEnum</c> as the CLR enum, which the codec
/// stores as its number, while <c>GetString</c> reads the label (<c>grumpy</c>): a hit reading the column as a string
/// (a string property over the enum column) got the number. Read as a string the cell is the label, read as anything
/// else (the enum, its number) the number, as a recorded enum always was.
/// </summary>
internal sealed class EnumWithLabel(object value, string label)
{
    /// <summary>The enum's underlying integer (an <see cref="int"/> for most enums).</summary>
    public object Value { get; } = value;

    public string Label { get; } = label;
}
