using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// The shop plus two keyless read models over Products: one mapped to a database view (<c>ToView</c>), one to a
/// defining query (<c>ToSqlQuery</c>, a shared-type entity of the same CLR type).
/// </summary>
public sealed class ViewShopContext(DbContextOptions<ShopContext> options) : ShopContext(options)
{
    public const string CreateViewSql = "CREATE VIEW ProductNamesView AS SELECT Id, Name FROM Products";

    public DbSet<ProductNameRow> ViewNames => Set<ProductNameRow>("FromView");

    public DbSet<ProductNameRow> QueryNames => Set<ProductNameRow>("FromQuery");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.SharedTypeEntity<ProductNameRow>("FromView").HasNoKey().ToView("ProductNamesView");
        modelBuilder.SharedTypeEntity<ProductNameRow>("FromQuery").HasNoKey().ToSqlQuery("SELECT Id, Name FROM Products");
    }
}
