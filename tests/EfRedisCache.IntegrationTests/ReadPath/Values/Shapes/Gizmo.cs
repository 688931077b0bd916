namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>
/// The base of a TPH hierarchy whose columns go through value converters, complex and owned types, JSON and shadow
/// properties (<c>Memo</c>, <c>Weight</c>).
/// </summary>
public abstract class Gizmo
{
    public int Id { get; set; }

    public int CrateId { get; set; }

    public Crate Crate { get; set; } = null!;

    /// <summary>Stored as its name.</summary>
    public GizmoStatus Status { get; set; }

    /// <summary>Stored as a long (<c>DateTime.ToBinary</c>).</summary>
    public DateTime Stamp { get; set; }

    /// <summary>Stored as 'Y' or 'N'.</summary>
    public bool Ready { get; set; }

    /// <summary>Stored as text.</summary>
    public Guid Ref { get; set; }

    public GizmoCode Code { get; set; }

    /// <summary>Stored as the UTF-8 bytes of the text (a custom converter to byte[]).</summary>
    public required string Secret { get; set; }

    public GizmoSize Size { get; set; } = new();

    public GizmoLabel? Label { get; set; }

    public GizmoOrigin? Origin { get; set; }

    public GizmoSpec? Spec { get; set; }

    public List<GizmoTag> Tags { get; } = [];
}
