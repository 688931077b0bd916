namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>The principal of <see cref="Gizmo"/>: its collection is what split queries and identity resolution repeat.</summary>
public sealed class Crate
{
    public int Id { get; set; }

    public required string Label { get; set; }

    /// <summary>Stored as a long (<c>DateTime.ToBinary</c>).</summary>
    public DateTime Opened { get; set; }

    /// <summary>Stored as its name.</summary>
    public GizmoStatus Kind { get; set; }

    public List<Gizmo> Gizmos { get; } = [];

    public GizmoDetail Detail { get; set; } = new() { Note = "" };

    public List<GizmoPart> Parts { get; set; } = [];
}
