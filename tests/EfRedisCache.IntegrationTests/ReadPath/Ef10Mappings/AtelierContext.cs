using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Ef10Mappings;

/// <summary>
/// The model mappings of EF Core 10 the cache must stay transparent and exact over: complex types in columns (optional,
/// nested, structs, with converters) and as JSON (a document and a collection), entity splitting, table splitting, and
/// TPC with keys from a shared sequence (PostgreSQL; SQLite has no sequences, so keys are given there).
/// </summary>
public sealed class AtelierContext(DbContextOptions<AtelierContext> options) : DbContext(options)
{
    public DbSet<Studio> Studios => Set<Studio>();

    public DbSet<Work> Works => Set<Work>();

    public DbSet<Member> Members => Set<Member>();

    public DbSet<Ticket> Tickets => Set<Ticket>();

    public DbSet<TicketBody> TicketBodies => Set<TicketBody>();

    public DbSet<Shape> Shapes => Set<Shape>();

    public DbSet<Circle> Circles => Set<Circle>();

    public DbSet<Square> Squares => Set<Square>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Studio>(studio =>
        {
            studio.Property(s => s.Id).ValueGeneratedNever();
            studio.ComplexProperty(s => s.Contact, contact =>
            {
                contact.ComplexProperty(c => c.Phone);
                contact.Property(c => c.Preferred).HasConversion<string>();
                contact.Property(c => c.Since).HasConversion<long>();
            });
            studio.ComplexProperty(s => s.Location);
            studio.ComplexProperty(s => s.Pin);
            studio.ComplexProperty(s => s.Settings, settings => settings.ToJson());
            studio.ComplexCollection(s => s.Awards, awards => awards.ToJson());
            studio.HasMany(s => s.Works).WithOne().HasForeignKey(w => w.StudioId);
        });
        modelBuilder.Entity<Work>().Property(w => w.Id).ValueGeneratedNever();

        modelBuilder.Entity<Member>(member =>
        {
            member.Property(m => m.Id).ValueGeneratedNever();
            member.SplitToTable("MemberProfiles", profile =>
            {
                profile.Property(m => m.Id).HasColumnName("MemberId");
                profile.Property(m => m.City);
                profile.Property(m => m.Bio);
            });
        });

        modelBuilder.Entity<Ticket>(ticket =>
        {
            ticket.ToTable("Tickets");
            ticket.Property(t => t.Id).ValueGeneratedNever();
            ticket.HasOne(t => t.Body).WithOne().HasForeignKey<TicketBody>(b => b.Id);
            ticket.Navigation(t => t.Body).IsRequired();
        });
        modelBuilder.Entity<TicketBody>().ToTable("Tickets");

        modelBuilder.Entity<Shape>().UseTpcMappingStrategy();
        if (!Database.IsNpgsql())
        {
            modelBuilder.Entity<Shape>().Property(s => s.Id).ValueGeneratedNever();
        }

        modelBuilder.Entity<Circle>().ToTable("Circles");
        modelBuilder.Entity<Square>().ToTable("Squares");
    }
}
