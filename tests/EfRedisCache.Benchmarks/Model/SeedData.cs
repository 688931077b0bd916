namespace EfRedisCache.Benchmarks.Model;

/// <summary>The same rows in every database: 20 categories of 50 products, about 200 bytes a row.</summary>
public static class SeedData
{
    public const int Categories = 20;
    public const int ProductsPerCategory = 50;
    public const int Products = Categories * ProductsPerCategory;

    public static IEnumerable<Category> Build()
    {
        var created = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var c = 1; c <= Categories; c++)
        {
            var category = new Category { Id = c, Name = $"Category {c:00}" };
            for (var i = 0; i < ProductsPerCategory; i++)
            {
                var id = ((c - 1) * ProductsPerCategory) + i + 1;
                category.Products.Add(new Product
                {
                    Id = id,
                    Name = $"Product {id:0000} of category {c:00}",
                    Description = $"A description of product {id:0000}, long enough to look like a real catalogue entry with a few words.",
                    Price = 10m + (id % 97) + 0.99m,
                    Stock = id % 13,
                    CreatedUtc = created.AddMinutes(id * 37),
                    CategoryId = c,
                });
            }

            yield return category;
        }
    }
}
