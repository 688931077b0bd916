using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// ExecuteUpdate / ExecuteDelete over the model's mappings — TPT, TPH and TPC types, filters through
/// navigations (joins in the SQL), a delete the database cascades — each with the cached queries it must kill.
/// Shared by the SQLite and PostgreSQL test classes.
/// </summary>
internal static class BulkModelCases
{
    public static TheoryData<string> Names => [.. Cases.Keys];

    private static readonly Dictionary<string, (Func<ShopContext, Task<int>> Write, Func<ShopHarness, WatchedQuery[]> Watch)> Cases = new()
    {
        ["ExecuteUpdate of a TPT derived column"] = (
            c => c.Cars.Where(x => x.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Seats, 7)),
            shop => [ShopQueries.Cars(shop), ShopQueries.Vehicles(shop)]),
        ["ExecuteUpdate of a TPT base column through the derived set"] = (
            c => c.Cars.Where(x => x.Seats > 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Make, "Saab")),
            shop => [ShopQueries.Cars(shop), ShopQueries.Vehicles(shop)]),
        ["ExecuteUpdate of a TPH derived type"] = (
            c => c.Payments.OfType<CardPayment>().ExecuteUpdateAsync(s => s.SetProperty(x => x.Last4, "0000")),
            shop => [ShopQueries.Payments(shop), ShopQueries.CardPayments(shop)]),
        ["ExecuteDelete of a TPC type"] = (
            c => c.Dogs.ExecuteDeleteAsync(),
            shop => [ShopQueries.Dogs(shop), Animals(shop), DogById(shop)]),
        ["ExecuteDelete filtered through two navigations"] = (
            c => c.OrderLines.Where(l => l.Order.Customer.Name == "Alice" && l.Product.Category.Name == "Hardware").ExecuteDeleteAsync(),
            shop => [ShopQueries.OrderLines(shop)]),
        ["ExecuteDelete through a navigation that the database cascades"] = (
            c => c.Orders.Where(o => o.Customer.Name == "Alice").ExecuteDeleteAsync(),
            shop => [ShopQueries.Orders(shop), ShopQueries.OrderLines(shop), ShopQueries.Payments(shop)]),
        ["ExecuteUpdate filtered through a navigation"] = (
            c => c.Products.Where(p => p.Category.Name == "Books").ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + 1)),
            shop => [ShopQueries.Products(shop), ShopQueries.ProductById(shop, ShopSeed.NovelId), NovelByKey(shop)]),
    };

    public static async Task RunAsync(ShopHarness shop, string name)
    {
        var (write, watch) = Cases[name];
        var watched = watch(shop);
        var before = watched.Select(w => w.Warm()).ToArray();
        await using (var writer = shop.NewContext())
        {
            Assert.True(await write(writer) > 0, $"{name}: wrote no row, so the test proves nothing");
        }

        for (var i = 0; i < watched.Length; i++)
        {
            watched[i].AssertInvalidatedAndFresh(before[i]);
        }
    }

    private static WatchedQuery Animals(ShopHarness shop) => new(shop, "Animals", c =>
        string.Join(" | ", c.Animals.OrderBy(a => a.Id).Cacheable().ToList().Select(a => $"{a.Id}:{a.GetType().Name}:{a.Name}")));

    private static WatchedQuery DogById(ShopHarness shop) => new(shop, "Dog 1 by key", c =>
        c.Dogs.AsNoTracking().Cacheable().FirstOrDefault(d => d.Id == 1)?.Name ?? "none");

    private static WatchedQuery NovelByKey(ShopHarness shop) => new(shop, "Novel by key", c =>
        c.Products.AsNoTracking().Cacheable().FirstOrDefault(p => p.Id == ShopSeed.NovelId)?.Stock.ToString(CultureInfo.InvariantCulture) ?? "none");
}
