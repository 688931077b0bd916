using EfRedisCache.IntegrationTests.Infrastructure;

namespace EfRedisCache.Sample;

/// <summary>Finds a Redis the way the integration tests do: EFRC_REDIS if set, else a throw-away local redis-server.</summary>
internal static class SampleRedis
{
    public const string EnvironmentVariable = "EFRC_REDIS";

    public const string NotFoundMessage =
        "No Redis for the sample: set EFRC_REDIS=host:port, or install redis-server (Debian: apt-get install -y redis-server).";

    /// <summary>The configuration string of a Redis to use, and the local server to dispose afterwards, if one was started.</summary>
    /// <returns><see langword="false"/> when there is no Redis to be had.</returns>
    public static bool TryFind(out string configuration, out IDisposable? localServer)
    {
        localServer = null;
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            configuration = fromEnvironment;
            return true;
        }

        if (LocalRedisServer.FindExecutable() is { } executable)
        {
            var server = LocalRedisServer.StartNew(executable);
            Console.WriteLine($"Started redis-server on 127.0.0.1:{server.Port}; it stops when the sample ends.");
            localServer = server;
            configuration = server.Configuration;
            return true;
        }

        configuration = "";
        return false;
    }
}
