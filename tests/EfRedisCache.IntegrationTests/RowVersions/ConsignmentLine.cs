namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>A line of a <see cref="Consignment"/>, deleted by the database with its consignment (ON DELETE CASCADE).</summary>
public class ConsignmentLine
{
    public int Id { get; set; }

    public int ConsignmentId { get; set; }

    public string Item { get; set; } = "";
}
