using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfRedisCache.IntegrationTests.WritePath.Migrations;

[DbContext(typeof(CatalogContext))]
[Migration(Id)]
public sealed class CatalogInitial : Migration
{
    public const string Id = "20250101000000_CatalogInitial";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "CatalogItems",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false),
                Name = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CatalogItems", x => x.Id));
        migrationBuilder.InsertData("CatalogItems", ["Id", "Name"], ["INTEGER", "TEXT"], new object[,] { { 1, "First" }, { 2, "Second" } });
    }
}
