using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql;

/// <summary>Bookings on PostgreSQL, for <see cref="PostgreSqlUncodableValueTests"/>.</summary>
public sealed class BookingContext(DbContextOptions<BookingContext> options) : DbContext(options)
{
    public DbSet<Booking> Bookings => Set<Booking>();
}
