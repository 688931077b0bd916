using EfRedisCache.IntegrationTests.Infrastructure;
using EfRedisCache.IntegrationTests.Model;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.WritePath;

/// <summary>
/// DESIGN.md invariant 2 through SaveChanges: every save invalidates the tables it wrote (owned types,
/// TPH/TPT/TPC, join tables, database cascades of rows never loaded) and leaves other tables' entries alone.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SaveChangesInvalidationTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Adding_a_product_invalidates_product_queries_and_leaves_categories_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var count = ShopQueries.ProductCount(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, c0, k0) = (products.Warm(), count.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            writer.Products.Add(Writes.NewProduct(10, "Webcam"));
            await Writes.SaveAsync(writer, async);
        }

        products.AssertInvalidatedAndFresh(p0);
        count.AssertInvalidatedAndFresh(c0);
        categories.AssertStillHit(k0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Modifying_a_product_invalidates_product_queries_and_leaves_categories_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var keyboard = ShopQueries.ProductById(shop, ShopSeed.KeyboardId);
        var categories = ShopQueries.Categories(shop);
        var (p0, b0, k0) = (products.Warm(), keyboard.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            var product = await writer.Products.SingleAsync(p => p.Id == ShopSeed.KeyboardId);
            product.Price = 59.99m;
            await Writes.SaveAsync(writer, async);
        }

        products.AssertInvalidatedAndFresh(p0);
        keyboard.AssertInvalidatedAndFresh(b0);
        categories.AssertStillHit(k0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deleting_a_product_invalidates_product_queries_and_leaves_categories_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var monitor = ShopQueries.ProductById(shop, ShopSeed.MonitorId);
        var categories = ShopQueries.Categories(shop);
        var (p0, m0, k0) = (products.Warm(), monitor.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            writer.Products.Remove(await writer.Products.SingleAsync(p => p.Id == ShopSeed.MonitorId));
            await Writes.SaveAsync(writer, async);
        }

        products.AssertInvalidatedAndFresh(p0);
        monitor.AssertInvalidatedAndFresh(m0);
        categories.AssertStillHit(k0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Modifying_an_owned_address_through_its_owner_invalidates_customer_queries(bool async)
    {
        using var shop = new ShopHarness(redis);
        var customers = ShopQueries.Customers(shop);
        var products = ShopQueries.Products(shop);
        var (c0, p0) = (customers.Warm(), products.Warm());

        await using (var writer = shop.NewContext())
        {
            var alice = await writer.Customers.SingleAsync(c => c.Id == ShopSeed.AliceId);
            alice.Address!.City = "Shelbyville";
            await Writes.SaveAsync(writer, async);
        }

        c0 = customers.AssertInvalidatedAndFresh(c0);
        products.AssertStillHit(p0);
        customers.Warm();

        await using (var writer = shop.NewContext())
        {
            var bob = await writer.Customers.SingleAsync(c => c.Id == ShopSeed.BobId);
            bob.Address = new Address { Street = "2 Elm St", City = "Ogdenville" };
            await Writes.SaveAsync(writer, async);
        }

        customers.AssertInvalidatedAndFresh(c0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Adding_and_removing_a_phone_in_the_owned_collection_invalidates_customer_queries(bool async)
    {
        using var shop = new ShopHarness(redis);
        var customers = ShopQueries.Customers(shop);
        var c0 = customers.Warm();

        await using (var writer = shop.NewContext())
        {
            var bob = await writer.Customers.SingleAsync(c => c.Id == ShopSeed.BobId);
            bob.Phones.Add(new Phone { Kind = "mobile", Number = "555-0199" });
            await Writes.SaveAsync(writer, async);
        }

        var c1 = customers.AssertInvalidatedAndFresh(c0);
        customers.Warm();

        await using (var writer = shop.NewContext())
        {
            var alice = await writer.Customers.SingleAsync(c => c.Id == ShopSeed.AliceId);
            alice.Phones.RemoveAll(p => p.Kind == "work");
            await Writes.SaveAsync(writer, async);
        }

        customers.AssertInvalidatedAndFresh(c1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Modifying_a_card_payment_invalidates_queries_over_the_tph_payments_table(bool async)
    {
        using var shop = new ShopHarness(redis);
        var payments = ShopQueries.Payments(shop);
        var cards = ShopQueries.CardPayments(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, d0, k0) = (payments.Warm(), cards.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            var card = await writer.Payments.OfType<CardPayment>().SingleAsync();
            card.Last4 = "1881";
            card.Amount = 51m;
            await Writes.SaveAsync(writer, async);
        }

        payments.AssertInvalidatedAndFresh(p0);
        cards.AssertInvalidatedAndFresh(d0);
        categories.AssertStillHit(k0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Modifying_a_car_invalidates_both_the_tpt_vehicles_and_cars_queries(bool async)
    {
        using var shop = new ShopHarness(redis);
        var vehicles = ShopQueries.Vehicles(shop);
        var cars = ShopQueries.Cars(shop);
        var dogs = ShopQueries.Dogs(shop);
        var (v0, c0, d0) = (vehicles.Warm(), cars.Warm(), dogs.Warm());

        await using (var writer = shop.NewContext())
        {
            var car = await writer.Cars.SingleAsync();
            car.Make = "Saab"; // a column of the Vehicles table
            car.Seats = 4; // a column of the Cars table
            await Writes.SaveAsync(writer, async);
        }

        vehicles.AssertInvalidatedAndFresh(v0);
        cars.AssertInvalidatedAndFresh(c0);
        dogs.AssertStillHit(d0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Modifying_only_the_base_table_column_of_a_car_invalidates_the_cars_query(bool async)
    {
        using var shop = new ShopHarness(redis);
        var cars = ShopQueries.Cars(shop);
        var c0 = cars.Warm();

        await using (var writer = shop.NewContext())
        {
            var car = await writer.Cars.SingleAsync();
            car.Make = "Polestar"; // only the Vehicles row changes
            await Writes.SaveAsync(writer, async);
        }

        cars.AssertInvalidatedAndFresh(c0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Adding_a_dog_invalidates_the_tpc_dogs_query_and_leaves_cats_a_hit(bool async)
    {
        using var shop = new ShopHarness(redis);
        var dogs = ShopQueries.Dogs(shop);
        var cats = ShopQueries.Cats(shop);
        var (d0, c0) = (dogs.Warm(), cats.Warm());

        await using (var writer = shop.NewContext())
        {
            writer.Dogs.Add(new Dog { Id = 3, Name = "Lassie", Breed = "Collie" });
            await Writes.SaveAsync(writer, async);
        }

        dogs.AssertInvalidatedAndFresh(d0);
        cats.AssertStillHit(c0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Adding_then_removing_a_tag_on_a_product_invalidates_a_query_that_includes_tags(bool async)
    {
        using var shop = new ShopHarness(redis);
        var withTags = ShopQueries.ProductsWithTags(shop);
        var categories = ShopQueries.Categories(shop);
        var (t0, k0) = (withTags.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            var monitor = await writer.Products.SingleAsync(p => p.Id == ShopSeed.MonitorId);
            monitor.Tags.Add(await writer.Tags.SingleAsync(t => t.Label == "sale"));
            await Writes.SaveAsync(writer, async);
        }

        var t1 = withTags.AssertInvalidatedAndFresh(t0);
        categories.AssertStillHit(k0);
        withTags.Warm();

        await using (var writer = shop.NewContext())
        {
            var keyboard = await writer.Products.Include(p => p.Tags).SingleAsync(p => p.Id == ShopSeed.KeyboardId);
            keyboard.Tags.RemoveAll(t => t.Label == "new");
            await Writes.SaveAsync(writer, async);
        }

        withTags.AssertInvalidatedAndFresh(t1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deleting_a_category_stub_invalidates_the_products_the_database_cascaded(bool async)
    {
        using var shop = new ShopHarness(redis);
        var products = ShopQueries.Products(shop);
        var withTags = ShopQueries.ProductsWithTags(shop);
        var categories = ShopQueries.Categories(shop);
        var (p0, t0, k0) = (products.Warm(), withTags.Warm(), categories.Warm());

        await using (var writer = shop.NewContext())
        {
            // Its products are not loaded: only the database's ON DELETE CASCADE removes the novel.
            var stub = new Category { Id = ShopSeed.BooksCategoryId, Name = "Books" };
            writer.Categories.Attach(stub);
            writer.Categories.Remove(stub);
            Assert.Single(writer.ChangeTracker.Entries()); // nothing but the category is tracked
            await Writes.SaveAsync(writer, async);
        }

        categories.AssertInvalidatedAndFresh(k0);
        products.AssertInvalidatedAndFresh(p0);
        withTags.AssertInvalidatedAndFresh(t0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deleting_an_order_stub_invalidates_the_lines_and_payments_the_database_cascaded(bool async)
    {
        using var shop = new ShopHarness(redis);
        var orders = ShopQueries.Orders(shop);
        var lines = ShopQueries.OrderLines(shop);
        var payments = ShopQueries.Payments(shop);
        var products = ShopQueries.Products(shop);
        var (o0, l0, y0, p0) = (orders.Warm(), lines.Warm(), payments.Warm(), products.Warm());

        await using (var writer = shop.NewContext())
        {
            var stub = new Order { Id = ShopSeed.AliceOrderId, CustomerId = ShopSeed.AliceId };
            writer.Orders.Attach(stub);
            writer.Orders.Remove(stub);
            await Writes.SaveAsync(writer, async);
        }

        orders.AssertInvalidatedAndFresh(o0);
        lines.AssertInvalidatedAndFresh(l0);
        payments.AssertInvalidatedAndFresh(y0);
        products.AssertStillHit(p0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deleting_a_loaded_order_with_its_lines_invalidates_the_lines(bool async)
    {
        using var shop = new ShopHarness(redis);
        var lines = ShopQueries.OrderLines(shop);
        var l0 = lines.Warm();

        await using (var writer = shop.NewContext())
        {
            var order = await writer.Orders.Include(o => o.Lines).SingleAsync();
            writer.Orders.Remove(order); // EF cascades to the tracked lines itself
            await Writes.SaveAsync(writer, async);
        }

        lines.AssertInvalidatedAndFresh(l0);
    }
}
