using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.PostgreSql.Values;

/// <summary><see cref="PgValue"/> rows on PostgreSQL, for <see cref="PostgreSqlValueFidelityTests"/>.</summary>
public sealed class PgValueContext(DbContextOptions<PgValueContext> options) : DbContext(options)
{
    public DbSet<PgValue> Values => Set<PgValue>();

    public DbSet<PgNetworkValue> NetworkValues => Set<PgNetworkValue>();

    public DbSet<PgBigValue> BigValues => Set<PgBigValue>();

    public DbSet<PgEdgeValue> EdgeValues => Set<PgEdgeValue>();

    public DbSet<PgOddValue> OddValues => Set<PgOddValue>();

    public DbSet<PgBitValue> BitValues => Set<PgBitValue>();

    public DbSet<PgCrossValue> CrossValues => Set<PgCrossValue>();

    public DbSet<PgKeeper> Keepers => Set<PgKeeper>();

    public DbSet<PgAnimal> Animals => Set<PgAnimal>();

    public DbSet<PgNullElementValue> NullElementValues => Set<PgNullElementValue>();

    public DbSet<PgMoodLabel> MoodLabels => Set<PgMoodLabel>();

    public DbSet<PgRareValue> RareValues => Set<PgRareValue>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("citext").HasPostgresExtension("hstore");
        modelBuilder.Entity<PgNetworkValue>().Property(v => v.Bits).HasColumnType("bit varying");
        modelBuilder.Entity<PgKeeper>().Property(k => k.Id).ValueGeneratedNever();
        modelBuilder.Entity<PgAnimal>().Property(a => a.Id).ValueGeneratedNever();
        modelBuilder.Entity<PgDog>().Property(d => d.BornOn).HasColumnType("date");
        modelBuilder.Entity<PgFish>().Property(f => f.Swim).HasColumnType("time");
        var edge = modelBuilder.Entity<PgEdgeValue>();
        edge.Property(v => v.Id).ValueGeneratedNever();
        edge.Property(v => v.NumericAsDouble).HasColumnType("numeric");
        edge.Property(v => v.Stamp).HasColumnType("timestamp without time zone");
        edge.Property(v => v.StampTzAsDateTime).HasColumnType("timestamp with time zone");
        edge.Property(v => v.Fixed).HasColumnType("char(5)");
        edge.Property(v => v.Xid).HasColumnType("xid");
        edge.Property(v => v.Oid).HasColumnType("oid");
        edge.Property(v => v.Money).HasColumnType("money");
        modelBuilder.Entity<PgOddValue>().Property(v => v.Id).ValueGeneratedNever();
        modelBuilder.Entity<PgOddValue>().Property(v => v.Numeric).HasColumnType("numeric");
        modelBuilder.Entity<PgOddValue>().Property(v => v.NumericAsDouble).HasColumnType("numeric");
        modelBuilder.Entity<PgBitValue>().Property(v => v.Id).ValueGeneratedNever();
        modelBuilder.Entity<PgRareValue>().Property(v => v.Id).ValueGeneratedNever();
        modelBuilder.Entity<PgRareValue>().Property(v => v.Period).HasColumnType("tsrange");
        var moodLabel = modelBuilder.Entity<PgMoodLabel>();
        moodLabel.Property(v => v.Id).ValueGeneratedNever();
        moodLabel.Property(v => v.Mood).HasColumnType("pg_mood");
        moodLabel.Property(v => v.MaybeMood).HasColumnType("pg_mood");
        var nullElements = modelBuilder.Entity<PgNullElementValue>();
        nullElements.Property(v => v.Id).ValueGeneratedNever();
        nullElements.Property(v => v.TimesAsSpans).HasColumnType("time[]");
        nullElements.Property(v => v.LocalStamps).HasColumnType("timestamp without time zone[]");
        nullElements.Property(v => v.DaysAsDateTimes).HasColumnType("date[]");
        var cross = modelBuilder.Entity<PgCrossValue>();
        cross.Property(v => v.Id).ValueGeneratedNever();
        cross.Property(v => v.LongOverNumeric).HasColumnType("numeric");
        cross.Property(v => v.IntOverNumeric).HasColumnType("numeric");
        cross.Property(v => v.SingleOverNumeric).HasColumnType("numeric");
        cross.Property(v => v.DecimalOverDouble).HasColumnType("double precision");
        cross.Property(v => v.DecimalOverReal).HasColumnType("real");
        modelBuilder.Entity<PgBitValue>().Property(v => v.Bit).HasColumnType("bit(1)");
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
