namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// One property of each type whose value providers store or read unusually: characters, times of day, intervals,
/// unsigned and small integers, non-finite and signed-zero floating point, enums as text, primitive collections
/// stored as JSON (SQLite) or arrays (PostgreSQL), a complex type.
/// </summary>
public class Oddity
{
    public int Id { get; set; }

    public char Letter { get; set; }

    public char? MaybeLetter { get; set; }

    public TimeOnly At { get; set; }

    public TimeSpan Duration { get; set; }

    public DateOnly Day { get; set; }

    public DateTime Unspecified { get; set; }

    public double Real { get; set; }

    public float Fraction { get; set; }

    public sbyte Tiny { get; set; }

    public byte Octet { get; set; }

    public ushort Port { get; set; }

    public uint Count { get; set; }

    public short Small { get; set; }

    public decimal Amount { get; set; }

    public bool Flag { get; set; }

    public Shade Shade { get; set; }

    public List<string> Words { get; set; } = [];

    public List<int> Numbers { get; set; } = [];

    public Dimensions Size { get; set; } = new();
}
