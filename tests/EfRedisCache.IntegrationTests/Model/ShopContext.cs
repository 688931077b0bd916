using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Model;

/// <summary>
/// A small shop whose model has one of each mapping the cache must survive: owned types (table splitting and
/// their own table), one-to-many with cascade, many-to-many, and TPH, TPT and TPC inheritance.
/// </summary>
public class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Tag> Tags => Set<Tag>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderLine> OrderLines => Set<OrderLine>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<Vehicle> Vehicles => Set<Vehicle>();

    public DbSet<Car> Cars => Set<Car>();

    public DbSet<Truck> Trucks => Set<Truck>();

    public DbSet<Animal> Animals => Set<Animal>();

    public DbSet<Dog> Dogs => Set<Dog>();

    public DbSet<Cat> Cats => Set<Cat>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Product>(product =>
        {
            product.Property(p => p.Name).HasMaxLength(200);
            product.HasIndex(p => p.Sku).IsUnique();
            product.HasOne(p => p.Category)
                .WithMany(c => c.Products)
                .HasForeignKey(p => p.CategoryId)
                .OnDelete(DeleteBehavior.Cascade);
            product.HasMany(p => p.Tags).WithMany(t => t.Products);
        });

        modelBuilder.Entity<Customer>(customer =>
        {
            customer.OwnsOne(c => c.Address);
            customer.OwnsMany(c => c.Phones, phone =>
            {
                phone.ToTable("CustomerPhones");
                phone.WithOwner().HasForeignKey("CustomerId");
                phone.Property<int>("Id");
                phone.HasKey("Id");
            });
        });

        modelBuilder.Entity<Order>()
            .HasMany(o => o.Lines)
            .WithOne(l => l.Order)
            .HasForeignKey(l => l.OrderId)
            .OnDelete(DeleteBehavior.Cascade);

        modelBuilder.Entity<Payment>()
            .HasDiscriminator<string>("Kind")
            .HasValue<CardPayment>("card")
            .HasValue<CashPayment>("cash");

        modelBuilder.Entity<Vehicle>().UseTptMappingStrategy();
        modelBuilder.Entity<Car>().ToTable("Cars");
        modelBuilder.Entity<Truck>().ToTable("Trucks");

        // TPC shares one key space across tables, so the database cannot generate the keys.
        modelBuilder.Entity<Animal>().UseTpcMappingStrategy();
        modelBuilder.Entity<Animal>().Property(a => a.Id).ValueGeneratedNever();
        modelBuilder.Entity<Dog>().ToTable("Dogs");
        modelBuilder.Entity<Cat>().ToTable("Cats");
    }
}
