namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A consignment whose owned <see cref="Route"/> lives in its own row and names a <see cref="Carrier"/>: deleting the
/// carrier makes the database delete the consignment's row, and with it the consignment's lines.
/// </summary>
public class Consignment
{
    public int Id { get; set; }

    public string Reference { get; set; } = "";

    public ConsignmentRoute Route { get; set; } = new();

    public List<ConsignmentLine> Lines { get; set; } = [];
}
