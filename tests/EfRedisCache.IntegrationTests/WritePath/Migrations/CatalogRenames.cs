using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfRedisCache.IntegrationTests.WritePath.Migrations;

/// <summary>A data migration: one row through UpdateData, one through raw SQL.</summary>
[DbContext(typeof(CatalogContext))]
[Migration("20250102000000_CatalogRenames")]
public sealed class CatalogRenames : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.UpdateData("CatalogItems", ["Id"], ["INTEGER"], [1], ["Name"], ["TEXT"], ["First, renamed by UpdateData"]);
        migrationBuilder.Sql("UPDATE \"CatalogItems\" SET \"Name\" = 'Second, renamed by Sql' WHERE \"Id\" = 2");
    }
}
