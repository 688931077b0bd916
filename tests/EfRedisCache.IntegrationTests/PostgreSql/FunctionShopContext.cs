using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;
using EfRedisCache.IntegrationTests.WritePath;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>The shop with one scalar database function that reads the Categories table: <c>category_name(id)</c>.</summary>
public sealed class FunctionShopContext(DbContextOptions<ShopContext> options) : ShopContext(options)
{
    public const string CreateFunctionSql =
        "CREATE FUNCTION category_name(id integer) RETURNS text LANGUAGE sql STABLE AS $$ SELECT \"Name\" FROM \"Categories\" WHERE \"Id\" = id $$";

    /// <summary>Translated to a call of <c>category_name</c>; never runs on the client.</summary>
    public static string CategoryName(int categoryId) => throw new NotSupportedException(categoryId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasDbFunction(typeof(FunctionShopContext).GetMethod(nameof(CategoryName))!).HasName("category_name");
    }
}
