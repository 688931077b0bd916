namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// Runs a test body with the process's local time zone changed (<c>TZ</c>, then
/// <see cref="TimeZoneInfo.ClearCachedData"/>) and puts the zone back after it. Only for tests of
/// <see cref="ProcessTimeZoneCollection"/>: no other test may see the zone change under it.
/// </summary>
internal static class ProcessTimeZone
{
    public static async Task RunInAsync(string zone, Func<Task> body)
    {
        var before = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", zone);
        TimeZoneInfo.ClearCachedData();
        try
        {
            // The test means something only if the zone took (a machine without the tz database stays in UTC).
            Assert.True(TimeZoneInfo.Local.Id == zone, $"The process is in {TimeZoneInfo.Local.Id}, not {zone}.");
            await body();
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", before);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
