namespace EfRedisCache.Configuration;

/// <summary>
/// Warnings about a registration that had no logger when they were due (no <c>LoggerFactory</c>), left for the first
/// context that uses one of its runtimes (<see cref="RegistrationCount"/>).
/// </summary>
[Flags]
internal enum UnsaidWarnings
{
    None = 0,

    /// <summary>Event 1200: many runtimes on one connection and key start.</summary>
    ManyRegistrations = 1,

    /// <summary>Event 1202: many connections made from configuration strings to one set of endpoints.</summary>
    ManyRedisConnections = 2,
}
