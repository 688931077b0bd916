using System.Globalization;

namespace EfRedisCache.IntegrationTests.ReadPath.Values;

/// <summary>
/// The culture and the process time zone a read runs in (a request localized per user; an application server in
/// another zone sharing the Redis). <see cref="TimeZone"/> changes the process's zone, so only tests of
/// <see cref="Infrastructure.ProcessTimeZoneCollection"/> may name one.
/// </summary>
internal sealed record ReadConditions(string Culture, string? TimeZone)
{
    /// <summary>Sets the current culture of the calling async flow and, when named, the process's time zone.</summary>
    public void Enter()
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(Culture);
        if (TimeZone is { } zone && Environment.GetEnvironmentVariable("TZ") != zone)
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
        }

        // The test means something only if the zone took (a machine without the tz database stays in UTC).
        Assert.True(TimeZone is null || TimeZoneInfo.Local.Id == TimeZone, $"The process is in {TimeZoneInfo.Local.Id}, not {TimeZone}.");
    }

    public override string ToString() => $"{(Culture.Length == 0 ? "invariant" : Culture)} {TimeZone ?? "process zone"}";
}
