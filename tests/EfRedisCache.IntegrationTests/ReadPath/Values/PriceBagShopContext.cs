using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// The shop plus two shared-type property bags over the Products table, mapped to one defining query (their names begin alike, so EF Core gives them one alias and one SQL text): one reads the price as a
/// decimal, the other as a whole number. Both have the CLR type <see cref="Dictionary{TKey, TValue}"/>, so only their
/// entity type names tell their queries apart.
/// </summary>
public sealed class PriceBagShopContext(DbContextOptions<ShopContext> options) : ShopContext(options)
{
    public const string DecimalPrices = "PriceBagOfDecimals";

    public const string WholePrices = "PriceBagOfWholes";

    /// <summary>EF Core refuses two keyless types over one view; a defining query may be shared.</summary>
    private const string PricesSql = "SELECT \"Price\" FROM \"Products\"";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.SharedTypeEntity<Dictionary<string, object>>(DecimalPrices, bag =>
        {
            bag.IndexerProperty<decimal>("Price");
            bag.HasNoKey().ToSqlQuery(PricesSql);
        });
        modelBuilder.SharedTypeEntity<Dictionary<string, object>>(WholePrices, bag =>
        {
            bag.IndexerProperty<long>("Price");
            bag.HasNoKey().ToSqlQuery(PricesSql);
        });
    }
}
