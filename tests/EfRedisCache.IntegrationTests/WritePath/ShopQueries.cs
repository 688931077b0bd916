using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>The cached query shapes the write tests watch, each rendered as text that shows every column a write may change.</summary>
internal static class ShopQueries
{
    public static WatchedQuery Products(ShopHarness shop) => new(shop, "Products", c =>
        Render(c.Products.OrderBy(p => p.Id).Cacheable().ToList()));

    public static WatchedQuery ProductById(ShopHarness shop, int id) => new(shop, $"Product {id}", c =>
        Render(c.Products.Where(p => p.Id == id).Cacheable().ToList()));

    public static WatchedQuery ProductsInCategory(ShopHarness shop, int categoryId) => new(shop, $"Products in category {categoryId}", c =>
        Render(c.Products.Where(p => p.CategoryId == categoryId).OrderBy(p => p.Id).Cacheable().ToList()));

    public static WatchedQuery ProductCount(ShopHarness shop) => new(shop, "Product count", c =>
        c.Products.Cacheable().Count().ToString(CultureInfo.InvariantCulture));

    public static WatchedQuery ProductsWithTags(ShopHarness shop) => new(shop, "Products with tags", c =>
        string.Join(" | ", c.Products.Include(p => p.Tags).OrderBy(p => p.Id).Cacheable().ToList()
            .Select(p => $"{p.Id}:{p.Name}:[{string.Join(",", p.Tags.Select(t => t.Label).Order(StringComparer.Ordinal))}]")));

    public static WatchedQuery ProductsWithCategory(ShopHarness shop) => new(shop, "Products with category", c =>
        string.Join(" | ", c.Products.Include(p => p.Category).OrderBy(p => p.Id).Cacheable().ToList()
            .Select(p => $"{p.Id}:{p.Name}:{p.Price.ToString(CultureInfo.InvariantCulture)}:{p.Category.Name}")));

    public static WatchedQuery Categories(ShopHarness shop) => new(shop, "Categories", c =>
        string.Join(" | ", c.Categories.OrderBy(x => x.Id).Cacheable().ToList().Select(x => $"{x.Id}:{x.Name}")));

    public static WatchedQuery Tags(ShopHarness shop) => new(shop, "Tags", c =>
        string.Join(" | ", c.Tags.OrderBy(x => x.Id).Cacheable().ToList().Select(x => $"{x.Id}:{x.Label}")));

    public static WatchedQuery Customers(ShopHarness shop) => new(shop, "Customers", c =>
        string.Join(" | ", c.Customers.OrderBy(x => x.Id).Cacheable().ToList().Select(x =>
            $"{x.Id}:{x.Name}:{(x.Address is null ? "-" : $"{x.Address.Street},{x.Address.City},{x.Address.PostalCode}")}:" +
            $"[{string.Join(",", x.Phones.Select(p => $"{p.Kind}={p.Number}").Order(StringComparer.Ordinal))}]")));

    public static WatchedQuery Orders(ShopHarness shop) => new(shop, "Orders", c =>
        string.Join(" | ", c.Orders.OrderBy(o => o.Id).Cacheable().ToList().Select(o => $"{o.Id}:{o.CustomerId}")));

    public static WatchedQuery OrderLines(ShopHarness shop) => new(shop, "OrderLines", c =>
        string.Join(" | ", c.OrderLines.OrderBy(l => l.Id).Cacheable().ToList()
            .Select(l => $"{l.Id}:{l.OrderId}:{l.ProductId}:{l.Quantity}")));

    public static WatchedQuery Payments(ShopHarness shop) => new(shop, "Payments", c =>
        string.Join(" | ", c.Payments.OrderBy(p => p.Id).Cacheable().ToList().Select(p => p switch
        {
            CardPayment card => $"{p.Id}:card:{p.Amount.ToString(CultureInfo.InvariantCulture)}:{card.Last4}",
            CashPayment cash => $"{p.Id}:cash:{p.Amount.ToString(CultureInfo.InvariantCulture)}:{cash.Tendered.ToString(CultureInfo.InvariantCulture)}",
            _ => $"{p.Id}:?",
        })));

    public static WatchedQuery CardPayments(ShopHarness shop) => new(shop, "Card payments", c =>
        string.Join(" | ", c.Payments.OfType<CardPayment>().OrderBy(p => p.Id).Cacheable().ToList().Select(p => $"{p.Id}:{p.Last4}")));

    public static WatchedQuery Vehicles(ShopHarness shop) => new(shop, "Vehicles", c =>
        string.Join(" | ", c.Vehicles.OrderBy(v => v.Id).Cacheable().ToList().Select(v => v switch
        {
            Car car => $"{v.Id}:car:{v.Make}:{car.Seats}",
            Truck truck => $"{v.Id}:truck:{v.Make}:{truck.PayloadKg}",
            _ => $"{v.Id}:vehicle:{v.Make}",
        })));

    public static WatchedQuery Cars(ShopHarness shop) => new(shop, "Cars", c =>
        string.Join(" | ", c.Cars.OrderBy(v => v.Id).Cacheable().ToList().Select(v => $"{v.Id}:{v.Make}:{v.Seats}")));

    public static WatchedQuery Dogs(ShopHarness shop) => new(shop, "Dogs", c =>
        string.Join(" | ", c.Dogs.OrderBy(a => a.Id).Cacheable().ToList().Select(a => $"{a.Id}:{a.Name}:{a.Breed}")));

    public static WatchedQuery Cats(ShopHarness shop) => new(shop, "Cats", c =>
        string.Join(" | ", c.Cats.OrderBy(a => a.Id).Cacheable().ToList().Select(a => $"{a.Id}:{a.Name}:{a.Lives}")));

    public static string Render(IEnumerable<Product> products)
        => string.Join(" | ", products.Select(p =>
            $"{p.Id}:{p.Name}:{p.Price.ToString(CultureInfo.InvariantCulture)}:{p.Stock.ToString(CultureInfo.InvariantCulture)}:{p.Status}:{p.CategoryId.ToString(CultureInfo.InvariantCulture)}"));
}
