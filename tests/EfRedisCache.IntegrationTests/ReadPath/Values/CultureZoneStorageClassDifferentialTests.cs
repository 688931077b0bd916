using System.Globalization;
using EfRedisCache.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// <see cref="StorageClassDifferential"/> outside the invariant culture and UTC, where a conversion that takes the
/// culture or the zone (or the date of the clock) may read a cell otherwise than Microsoft.Data.Sqlite: everything in
/// one culture and zone, and misses in one culture and zone with hits in another (requests localized per user,
/// servers in two zones sharing the Redis).
/// </summary>
[Collection(ProcessTimeZoneCollection.Name)]
public sealed class CultureZoneStorageClassDifferentialTests(RedisServerFixture redis, ITestOutputHelper output)
{
    [Theory]
    [InlineData("de-DE", "Asia/Tokyo", "de-DE", "Asia/Tokyo")]
    [InlineData("tr-TR", "America/Los_Angeles", "tr-TR", "America/Los_Angeles")]
    [InlineData("ar-SA", "Asia/Kolkata", "th-TH", "Pacific/Kiritimati")]
    // 25 hours apart, so the two processes are on different days at any hour: a date the miss took from its clock
    // (time-only text read as a DateTime) is never the hit's.
    [InlineData("de-DE", "Pacific/Kiritimati", "", "Pacific/Pago_Pago")]
    [InlineData("", "Etc/UTC", "de-DE", "Asia/Tokyo")]
    public async Task Every_storage_class_under_every_type_reads_from_the_cache_as_from_the_database_in_other_cultures_and_zones(
        string missCulture, string missZone, string hitCulture, string hitZone)
    {
        var zone = Environment.GetEnvironmentVariable("TZ");
        CultureInfo culture = CultureInfo.CurrentCulture;
        try
        {
            await StorageClassDifferential.AssertCacheReadsAsTheDatabaseAsync(
                redis, output, new ReadConditions(missCulture, missZone), new ReadConditions(hitCulture, hitZone));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
