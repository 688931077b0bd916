using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.RowVersions;

/// <summary>
/// A table <c>public."Items"</c> and a view of the same name in another schema, <c>reporting."Items"</c>, which
/// joins it with <c>public."Labels"</c>: the view's rows change with a label.
/// </summary>
public sealed class ReportingViewContext(DbContextOptions<ReportingViewContext> options) : DbContext(options)
{
    public const string CreateView = """
        CREATE SCHEMA reporting;
        CREATE VIEW reporting."Items" AS
            SELECT i."Id", i."Name" || ' / ' || l."Text" AS "Title" FROM public."Items" i JOIN public."Labels" l ON l."Id" = i."LabelId";
        """;

    public DbSet<LabeledItem> Items => Set<LabeledItem>();

    public DbSet<Label> Labels => Set<Label>();

    public DbSet<ItemReport> Reports => Set<ItemReport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LabeledItem>().ToTable("Items", "public").Property(i => i.Id).ValueGeneratedNever();
        modelBuilder.Entity<Label>().ToTable("Labels", "public").Property(l => l.Id).ValueGeneratedNever();
        modelBuilder.Entity<ItemReport>().ToView("Items", "reporting");
    }
}
