namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>Two crates of gizmos of both leaves, with NULLs where the model allows them.</summary>
internal static class ShapeSeed
{
    /// <param name="offsetZero">PostgreSQL (Npgsql) writes a <see cref="DateTimeOffset"/> only at offset zero.</param>
    public static void Seed(ShapeContext context, bool offsetZero)
    {
        TimeSpan Offset(TimeSpan offset) => offsetZero ? TimeSpan.Zero : offset;

        var first = new Crate { Id = 1, Label = "first", Opened = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), Kind = GizmoStatus.Shipped };
        var second = new Crate { Id = 2, Label = "second", Opened = new DateTime(2023, 12, 31, 23, 59, 59, DateTimeKind.Unspecified), Kind = GizmoStatus.Retired };
        foreach (var (crate, id) in new[] { (first, 1), (second, 2) })
        {
            crate.Detail = new GizmoDetail { Note = $"detail {id}", At = new DateTimeOffset(2021, 7, id, 8, 9, 10, Offset(TimeSpan.FromHours(-id))), Amount = 3.1400m * id, Flag = id % 2 == 1 };
            crate.Parts = [.. Enumerable.Range(0, id + 1).Select(n => new GizmoPart { Name = $"part {id}.{n}", Mass = 0.1 + (0.2 * n), Serial = new Guid(n, 0, 0, [1, 2, 3, 4, 5, 6, 7, (byte)id]) })];
        }

        context.Crates.AddRange(first, second);
        for (var id = 1; id <= 6; id++)
        {
            Gizmo gizmo = id % 2 == 1
                ? new BoltGizmo
                {
                    Secret = $"bolt-{id}",
                    Torque = 12.3400m + id,
                    Thread = new TimeSpan(1, 2, 3, 4, 500 + id),
                    Rated = new DateTimeOffset(2024, 3, id, 10, 11, 12, Offset(TimeSpan.FromHours(id - 3))),
                }
                : new GearGizmo
                {
                    Secret = $"gear-{id}",
                    Teeth = id == 4 ? null : 40 + id,
                    Color = (char)('a' + id),
                    Pitch = 0.1f * id,
                    Cut = id == 6 ? null : new DateTimeOffset(2022, 5, id, 1, 2, 3, 456, Offset(TimeSpan.FromMinutes(90))),
                };
            gizmo.Id = id;
            gizmo.Crate = id <= 4 ? first : second;
            gizmo.Status = (GizmoStatus)(id % 3 == 2 ? 7 : id % 3);
            gizmo.Stamp = new DateTime(2020 + id, id, id, id, id, id, id % 2 == 0 ? DateTimeKind.Utc : DateTimeKind.Unspecified).AddTicks(id);
            gizmo.Ready = id % 2 == 0;
            gizmo.Ref = new Guid(id, 2, 3, [4, 5, 6, 7, 8, 9, 10, (byte)id]);
            gizmo.Code = new GizmoCode(1000 + id);
            gizmo.Size = new GizmoSize { Width = 1.50m * id, Height = 0.1 + (0.2 * id) };
            gizmo.Label = id % 3 == 0 ? null : new GizmoLabel { Text = $"label {id}", Printed = new DateOnly(2024, id, 28) };
            gizmo.Origin = id == 5 ? null : new GizmoOrigin { Country = $"C{id}", Since = new DateOnly(1999, 12, id), Shift = new TimeOnly(id, 30, 15, 250) };
            gizmo.Spec = id == 3 ? null : new GizmoSpec { Notes = $"spec \"{id}\"", Made = new DateTime(2019, 2, id, 4, 5, 6, DateTimeKind.Utc), Ratio = 0.125m * id, Grade = (GizmoStatus)(id % 2) };
            gizmo.Tags.AddRange(Enumerable.Range(0, (id + 1) % 3).Select(n => new GizmoTag { Word = $"tag {id}.{n}", Added = new DateOnly(2000 + n, id, 1) }));
            context.Gizmos.Add(gizmo);
            context.Entry(gizmo).Property("Memo").CurrentValue = id == 2 ? null : $"memo {id}";
            context.Entry(gizmo).Property("Weight").CurrentValue = id == 1 ? null : (0.1 * id) + 0.2;
        }

        context.Probes.AddRange(
            new ThermoProbe { Id = 1, Serial = new Guid(1, 1, 1, [1, 1, 1, 1, 1, 1, 1, 1]), Reading = 1.10m, Celsius = 0.1 + 0.2, Calibrated = new DateTime(2024, 2, 3, 4, 5, 6, DateTimeKind.Utc) },
            new PressureProbe { Id = 2, Serial = new Guid(2, 2, 2, [2, 2, 2, 2, 2, 2, 2, 2]), Reading = 2.200m, Bar = 1.01325m, Unit = GizmoStatus.Retired, Interval = TimeSpan.FromMilliseconds(1500) },
            new ThermoProbe { Id = 3, Serial = new Guid(3, 3, 3, [3, 3, 3, 3, 3, 3, 3, 3]), Reading = -3m, Celsius = -40, Calibrated = new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Unspecified) },
            new PressureProbe { Id = 4, Serial = new Guid(4, 4, 4, [4, 4, 4, 4, 4, 4, 4, 4]), Reading = 0.0004m, Bar = null, Unit = GizmoStatus.Draft, Interval = new TimeSpan(2, 3, 4, 5) });
        context.Beacons.AddRange(
            new RadioBeacon { Id = 1, Lit = true, Since = new DateTimeOffset(2024, 1, 1, 0, 0, 0, Offset(TimeSpan.FromHours(5.5))), Megahertz = 144.800m, Channel = new GizmoCode(16) },
            new LightBeacon { Id = 2, Lit = false, Since = new DateTimeOffset(2023, 6, 30, 12, 0, 0, Offset(TimeSpan.Zero)), Lumens = 0.3f, Pattern = "long-short", Serviced = new DateOnly(2024, 2, 29) },
            new RadioBeacon { Id = 3, Lit = false, Since = new DateTimeOffset(2020, 2, 29, 23, 0, 0, Offset(TimeSpan.FromHours(-8))), Megahertz = 0.001m, Channel = new GizmoCode(-1) },
            new LightBeacon { Id = 4, Lit = true, Since = new DateTimeOffset(2010, 10, 10, 10, 10, 10, Offset(TimeSpan.FromHours(14))), Lumens = 1e-7f, Pattern = "ü", Serviced = null });
        context.SaveChanges();
    }
}
