namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// One REAL read three ways, each through a column whose affinity keeps what raw SQL stores in it: as a decimal and
/// as a string (which Microsoft.Data.Sqlite reads through SQLite's text of the REAL) and as a double.
/// </summary>
public class RealReading
{
    public int Id { get; set; }

    public decimal? AsDecimal { get; set; }

    public string? AsText { get; set; }

    public double? AsDouble { get; set; }
}
