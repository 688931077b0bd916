using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary><see cref="PgValue"/> rows on PostgreSQL, for <see cref="PostgreSqlValueFidelityTests"/>.</summary>
public sealed class PgValueContext(DbContextOptions<PgValueContext> options) : DbContext(options)
{
    public DbSet<PgValue> Values => Set<PgValue>();

    public DbSet<PgNetworkValue> NetworkValues => Set<PgNetworkValue>();

    public DbSet<PgBigValue> BigValues => Set<PgBigValue>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("citext").HasPostgresExtension("hstore");
        modelBuilder.Entity<PgNetworkValue>().Property(v => v.Bits).HasColumnType("bit varying");
        var value = modelBuilder.Entity<PgValue>();
        value.Property(v => v.Id).ValueGeneratedNever();
        value.Property(v => v.JsonbText).HasColumnType("jsonb");
        value.Property(v => v.JsonText).HasColumnType("json");
        value.Property(v => v.IntMood).HasConversion<int>();
        value.Property(v => v.StringMood).HasConversion<string>();
        value.Property(v => v.LocalAt).HasColumnType("timestamp without time zone");
        value.Property(v => v.MaybeLocalAt).HasColumnType("timestamp without time zone");
        value.Property(v => v.DayAsDateTime).HasColumnType("date");
        value.Property(v => v.MaybeDayAsDateTime).HasColumnType("date");
        value.Property(v => v.TimeAsSpan).HasColumnType("time");
        value.Property(v => v.DaysAsDateTimes).HasColumnType("date[]");
        value.Property(v => v.TimesAsSpans).HasColumnType("time[]");
        value.Property(v => v.ZonedTime).HasColumnType("time with time zone");
        value.Property(v => v.Wide).HasColumnType("numeric");
        value.Property(v => v.MaybeWide).HasColumnType("numeric");
        value.Property(v => v.Scaled).HasColumnType("numeric(38,10)");
        value.Property(v => v.Caseless).HasColumnType("citext");
        value.ComplexProperty(v => v.Place, place => place.ToJson());
        value.OwnsOne(v => v.OwnedPlace, place => place.ToJson());
    }
}
