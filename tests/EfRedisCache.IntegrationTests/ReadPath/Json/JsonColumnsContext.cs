using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Json;

/// <summary>
/// A context whose rows hold JSON documents, as EF Core maps them since version 8: an owned type and a complex
/// type stored with <c>ToJson()</c>, and primitive collections (lists of scalars in one column).
/// </summary>
public sealed class JsonColumnsContext(DbContextOptions<JsonColumnsContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Customer>(customer =>
        {
            customer.OwnsOne(c => c.Address, address =>
            {
                address.ToJson();
                address.OwnsMany(a => a.Lines);
            });
            customer.ComplexProperty(c => c.Preferences, preferences => preferences.ToJson());
        });
    }
}
