using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.Tests.Metadata;

/// <summary>
/// Two tables whose names are alike in their first 63 bytes, which PostgreSQL keeps (in two schemas they coexist, and each
/// is reached by the other's spelling), keyed by other columns. Never opens its connection.
/// </summary>
public sealed class LongNamesContext(DbContextOptions<LongNamesContext> options) : DbContext(options)
{
    public const string Prefix = "inventory_adjustments_recorded_by_the_warehouse_team_during_aud";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LongNameById>().ToTable(Prefix + "_by_id", "audits");
        modelBuilder.Entity<LongNameByCode>().ToTable(Prefix + "_by_code", "archive").HasKey(r => r.Code);
    }
}
