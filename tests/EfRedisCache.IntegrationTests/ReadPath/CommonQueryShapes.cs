using System.Globalization;
using EfRedisCache.IntegrationTests.Model;
using EfRedisCache.IntegrationTests.WritePath;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.ReadPath;

/// <summary>Common EF Core-generated query shapes that must be cached (second read a hit) and equal the uncached rows.</summary>
internal static class CommonQueryShapes
{
    private static readonly int[] Ids = [1, 3];

    public static readonly Dictionary<string, Func<ShopContext, string>> All = new()
    {
        ["contains over a list"] = c => ShopQueries.Render(c.Products.Where(p => Ids.Contains(p.Id)).OrderBy(p => p.Id).Cacheable().ToList()),
        ["date parameter"] = c =>
        {
            var since = ShopSeed.CreatedAt.AddHours(12);
            return ShopQueries.Render(c.Products.Where(p => p.CreatedAt > since).OrderBy(p => p.Id).Cacheable().ToList());
        },
        ["year of a column"] = c => ShopQueries.Render(c.Products.Where(p => p.CreatedAt.Year == 2024).OrderBy(p => p.Id).Cacheable().ToList()),
        ["date part of a column"] = c =>
        {
            var day = ShopSeed.CreatedAt.Date.AddDays(1);
            return ShopQueries.Render(c.Products.Where(p => p.CreatedAt.Date == day).OrderBy(p => p.Id).Cacheable().ToList());
        },
        ["date only"] = c =>
        {
            var from = new DateOnly(2024, 1, 1);
            return ShopQueries.Render(c.Products.Where(p => p.AvailableFrom >= from).OrderBy(p => p.Id).Cacheable().ToList());
        },
#pragma warning disable CA1304, CA1311, CA1847, CA1862 // translated to SQL: EF Core needs these exact calls
        ["lower contains"] = c => ShopQueries.Render(c.Products.Where(p => p.Name.ToLower().Contains("o")).OrderBy(p => p.Id).Cacheable().ToList()),
#pragma warning restore CA1304, CA1311, CA1847, CA1862
        ["like"] = c => ShopQueries.Render(c.Products.Where(p => EF.Functions.Like(p.Name, "%o%")).OrderBy(p => p.Id).Cacheable().ToList()),
        ["group by"] = c => string.Join(" | ", c.Products.GroupBy(p => p.CategoryId).Select(g => new { g.Key, Count = g.Count(), Max = g.Max(p => p.Price) })
            .OrderBy(g => g.Key).Cacheable().ToList().Select(g => $"{g.Key}:{g.Count}:{g.Max.ToString(CultureInfo.InvariantCulture)}")),
        ["top n per group"] = c => string.Join(" | ", c.Categories.OrderBy(x => x.Id)
            .Select(x => new { x.Id, Top = x.Products.OrderBy(p => p.Price).ThenBy(p => p.Id).Take(2).Select(p => p.Name).ToList() })
            .Cacheable().ToList().Select(x => $"{x.Id}:{string.Join(",", x.Top)}")),
        ["first per group"] = c => string.Join(" | ", c.Categories.OrderBy(x => x.Id)
            .Select(x => new { x.Id, Cheapest = x.Products.OrderBy(p => p.Price).Select(p => p.Name).FirstOrDefault() })
            .Cacheable().ToList().Select(x => $"{x.Id}:{x.Cheapest}")),
        ["any subquery"] = c => string.Join(",", c.Categories.Where(x => x.Products.Any(p => p.Price > 10)).OrderBy(x => x.Id).Select(x => x.Name).Cacheable().ToList()),
        ["skip take"] = c =>
        {
            var skip = 1;
            return ShopQueries.Render(c.Products.OrderBy(p => p.Id).Skip(skip).Take(2).Cacheable().ToList());
        },
        ["concat of taken"] = c => string.Join(",", c.Products.OrderBy(p => p.Id).Take(1).Select(p => p.Name)
            .Concat(c.Categories.OrderBy(x => x.Id).Take(1).Select(x => x.Name)).Cacheable().ToList().Order(StringComparer.Ordinal)),
        ["left join"] = c => string.Join(" | ", (from x in c.Categories
                                                 join p in c.Products on x.Id equals p.CategoryId into ps
                                                 from p in ps.DefaultIfEmpty()
                                                 orderby x.Id, p!.Id
                                                 select new { x.Name, Product = p == null ? null : p.Name }).Cacheable().ToList().Select(r => $"{r.Name}:{r.Product}")),
        ["include lines"] = c => string.Join(" | ", c.OrderLines.Include(l => l.Product).OrderBy(l => l.Id).Cacheable().ToList().Select(l => $"{l.Id}:{l.Product.Name}:{l.Quantity}")),
        ["by guid"] = c =>
        {
            var sku = c.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Sku).Cacheable().First();
            return ShopQueries.Render(c.Products.Where(p => p.Sku == sku).Cacheable().ToList());
        },
        ["by enum"] = c =>
        {
            var status = ProductStatus.Active;
            return ShopQueries.Render(c.Products.Where(p => p.Status == status).OrderBy(p => p.Id).Cacheable().ToList());
        },
        ["find by key"] = c => c.Products.Where(p => p.Id == ShopSeed.KeyboardId).Cacheable().Select(p => p.Name).Single(),
        ["string parameter"] = c =>
        {
            var name = "Mouse";
            return ShopQueries.Render(c.Products.Where(p => p.Name == name || p.Name.StartsWith(name)).OrderBy(p => p.Id).Cacheable().ToList());
        },
        ["distinct count"] = c => c.Products.Select(p => p.CategoryId).Distinct().Cacheable().Count().ToString(CultureInfo.InvariantCulture),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }
}
