namespace EfRedisCache.IntegrationTests.ReadPath.Fuzz;

/// <summary>
/// The row the differential fuzz queries: one property of each kind of value whose .NET and database equality
/// differ (decimal scale, the sign of a zero, DateTime kinds, offsets, letter case, nullables, enums both ways).
/// </summary>
public class FuzzItem
{
    public int Id { get; set; }

    public int? OwnerId { get; set; }

    public FuzzOwner? Owner { get; set; }

    public string Name { get; set; } = "";

    public string? Code { get; set; }

    public char Letter { get; set; }

    public int Qty { get; set; }

    public long? Big { get; set; }

    public short Small { get; set; }

    public decimal Price { get; set; }

    public decimal? Discount { get; set; }

    public double? Ratio { get; set; }

    public float Score { get; set; }

    public DateTime At { get; set; }

    public DateTimeOffset? When { get; set; }

    public DateOnly Day { get; set; }

    public TimeOnly Time { get; set; }

    public TimeSpan Span { get; set; }

    public bool? Flag { get; set; }

    public FuzzKind Kind { get; set; }

    public FuzzStatus Status { get; set; }

    public Guid Key { get; set; }

    public byte[]? Blob { get; set; }

    public List<FuzzNote> Notes { get; set; } = [];
}
