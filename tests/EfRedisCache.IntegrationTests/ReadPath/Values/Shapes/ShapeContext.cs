using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EfRedisCache.IntegrationTests.ReadPath.Values.Shapes;

/// <summary>
/// One model with each shape in which EF Core reads some columns and skips others: TPH leaves, value converters,
/// complex types (required and optional), an owned type, an owned JSON column, shadow properties, and a collection
/// for split queries and identity resolution.
/// </summary>
public sealed class ShapeContext(DbContextOptions<ShapeContext> options) : DbContext(options)
{
    public DbSet<Crate> Crates => Set<Crate>();

    public DbSet<Gizmo> Gizmos => Set<Gizmo>();

    public DbSet<Probe> Probes => Set<Probe>();

    public DbSet<Beacon> Beacons => Set<Beacon>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Crate>(crate =>
        {
            crate.Property(c => c.Id).ValueGeneratedNever();
            crate.Property(c => c.Opened).HasConversion<long>();
            crate.Property(c => c.Kind).HasConversion<string>();
            crate.ComplexProperty(c => c.Detail, detail => detail.ToJson());
            crate.ComplexCollection(c => c.Parts, parts => parts.ToJson());
            crate.HasMany(c => c.Gizmos).WithOne(g => g.Crate).HasForeignKey(g => g.CrateId);
        });

        modelBuilder.Entity<Gizmo>(gizmo =>
        {
            gizmo.Property(g => g.Id).ValueGeneratedNever();
            gizmo.Property(g => g.Status).HasConversion<string>();
            gizmo.Property(g => g.Stamp).HasConversion<long>();
            gizmo.Property(g => g.Ready).HasConversion(new BoolToStringConverter("N", "Y"));
            gizmo.Property(g => g.Ref).HasConversion<string>();
            gizmo.Property(g => g.Code).HasConversion(c => c.Value, v => new GizmoCode(v));
            gizmo.Property(g => g.Secret).HasConversion(s => Encoding.UTF8.GetBytes(s), b => Encoding.UTF8.GetString(b));
            gizmo.Property<string?>("Memo");
            gizmo.Property<double?>("Weight");
            gizmo.ComplexProperty(g => g.Size);
            gizmo.ComplexProperty(g => g.Label);
            gizmo.OwnsOne(g => g.Origin);
            gizmo.OwnsOne(g => g.Spec, spec =>
            {
                spec.ToJson("SpecJson");
                spec.Property(s => s.Grade).HasConversion<string>();
            });
            gizmo.OwnsMany(g => g.Tags, tags => tags.ToJson("TagsJson"));
            gizmo.HasDiscriminator<string>("Kind").HasValue<BoltGizmo>("bolt").HasValue<GearGizmo>("gear");
        });

        modelBuilder.Entity<Probe>(probe =>
        {
            probe.UseTptMappingStrategy();
            probe.Property(p => p.Id).ValueGeneratedNever();
            probe.Property(p => p.Serial).HasConversion<string>();
        });
        modelBuilder.Entity<ThermoProbe>().ToTable("ThermoProbes").Property(p => p.Calibrated).HasConversion<long>();
        modelBuilder.Entity<PressureProbe>().ToTable("PressureProbes").Property(p => p.Unit).HasConversion<string>();

        modelBuilder.Entity<Beacon>(beacon =>
        {
            beacon.UseTpcMappingStrategy();
            beacon.Property(b => b.Id).ValueGeneratedNever();
            beacon.Property(b => b.Lit).HasConversion(new BoolToStringConverter("N", "Y"));
        });
        modelBuilder.Entity<RadioBeacon>().ToTable("RadioBeacons").Property(b => b.Channel).HasConversion(c => c.Value, v => new GizmoCode(v));
        modelBuilder.Entity<LightBeacon>().ToTable("LightBeacons").Property(b => b.Pattern)
            .HasConversion(s => Encoding.UTF8.GetBytes(s), b => Encoding.UTF8.GetString(b));
    }
}
