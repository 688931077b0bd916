using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using Testcontainers.Redis;
using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// The Redis every integration test talks to, shared through <see cref="RedisCollection"/>. It uses, in order:
/// the <c>EFRC_TEST_REDIS</c> configuration string; a Testcontainers Redis when a Docker engine answers;
/// a local <c>redis-server</c> on a free loopback port. With none of them it fails, loudly: never a silent skip.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "EFRC_TEST_REDIS";

    public const string NoRedisMessage =
        "No Redis for the integration tests: set EFRC_TEST_REDIS=host:port, start a Docker engine, " +
        "or install redis-server (Debian: apt-get install -y redis-server)";

    private const string ContainerImage = "redis:7.4-alpine";
    private static readonly TimeSpan ContainerStartTimeout = TimeSpan.FromSeconds(90);

    private readonly string? _configurationFromEnvironment;
    private readonly bool _tryDocker;
    private readonly string? _redisSearchPath;
    private readonly bool _searchWellKnownDirectories;
    private LocalRedisServer? _localServer;
    private RedisContainer? _container;
    private ConnectionMultiplexer? _connection;

    public RedisServerFixture()
        : this(Environment.GetEnvironmentVariable(EnvironmentVariable), tryDocker: true, redisSearchPath: null, searchWellKnownDirectories: true)
    {
    }

    /// <summary>For tests of the fixture itself: every source of a Redis can be turned off.</summary>
    internal RedisServerFixture(string? configurationFromEnvironment, bool tryDocker, string? redisSearchPath, bool searchWellKnownDirectories)
    {
        _configurationFromEnvironment = configurationFromEnvironment;
        _tryDocker = tryDocker;
        _redisSearchPath = redisSearchPath;
        _searchWellKnownDirectories = searchWellKnownDirectories;
    }

    /// <summary>
    /// Many tests run synchronous EF Core queries, several at once (xunit runs collections in parallel). A
    /// synchronous query blocks its thread for the Redis call, and StackExchange.Redis 3 reads replies on the
    /// .NET thread pool: with the pool at its default minimum (one thread per core, two here) the reply can
    /// wait for the pool to inject a thread (about one per 500 ms), past the cache's 500 ms budget, and the
    /// cache (correctly) fails open — a hit-count assertion then fails at random. Raising the minimum is what
    /// StackExchange.Redis advises applications that mix synchronous calls and Redis; README "Limits" says so.
    /// </summary>
    internal static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Math.Max(32, 8 * Environment.ProcessorCount);
        ThreadPool.SetMinThreads(Math.Max(workers, wanted), Math.Max(completionPorts, wanted));
    }

    /// <summary>A StackExchange.Redis configuration string, with <c>allowAdmin=true</c>.</summary>
    public string Configuration { get; private set; } = "";

    /// <summary>The port Redis listens on, when there is exactly one known endpoint.</summary>
    public int? Port { get; private set; }

    /// <summary>True when the fixture runs its own <c>redis-server</c>, so <see cref="StopAsync"/> and <see cref="StartAsync"/> work.</summary>
    public bool IsLocalProcess => _localServer is not null;

    /// <summary>Where the Redis came from, for test output: "environment", "container" or "local redis-server".</summary>
    public string Source { get; private set; } = "";

    /// <summary>One multiplexer shared by the tests, as an application would share it.</summary>
    public IConnectionMultiplexer Connection =>
        _connection ?? throw new InvalidOperationException("The fixture has not been initialized.");

    /// <summary>A multiplexer of its own; the caller disposes it.</summary>
    public ConnectionMultiplexer CreateConnection() => ConnectionMultiplexer.Connect(Configuration);

    /// <summary>A key prefix no other test uses, so tests never see each other's keys.</summary>
    public string NewKeyPrefix() => "t" + Guid.NewGuid().ToString("N");

    /// <summary>What every key of a cache with <paramref name="prefix"/> (no braces of its own) starts with: the prefix as a Redis Cluster hash tag.</summary>
    public static string KeyStart(string prefix) => "{" + prefix + "}";

    public async Task InitializeAsync()
    {
        RaiseThreadPoolMinimum();
        if (!string.IsNullOrWhiteSpace(_configurationFromEnvironment))
        {
            UseConfiguration(_configurationFromEnvironment, "environment");
        }
        else if (_tryDocker && await TryStartContainerAsync())
        {
            Source = "container";
        }
        else if (LocalRedisServer.FindExecutable(_redisSearchPath, _searchWellKnownDirectories) is { } executable)
        {
            _localServer = LocalRedisServer.StartNew(executable);
            UseConfiguration(_localServer.Configuration, "local redis-server");
        }
        else
        {
            throw new InvalidOperationException(NoRedisMessage);
        }

        // abortConnect=false: after StopAsync/StartAsync the shared multiplexer reconnects by itself.
        var options = ConfigurationOptions.Parse(Configuration);
        options.AbortOnConnectFail = false;
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
        await WarmUpAsync();
    }

    /// <summary>
    /// Runs the cache's read and write paths once, so the first test does not pay for JIT compilation and the
    /// first script loads inside its Redis time budget — a cold process can exceed 500 ms there on a busy
    /// two-core machine, and the cache would (correctly) fail open, turning an expected hit into a miss.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var shop = new ShopHarness(this, o => o.RedisTimeout = TimeSpan.FromSeconds(10));
        for (var i = 0; i < 2; i++)
        {
            await using var context = shop.NewContext();
            await context.Products.Cacheable().Include(p => p.Category).ToListAsync();
            await context.Products.Cacheable().FirstOrDefaultAsync(p => p.Id == Model.ShopSeed.KeyboardId);
        }

        await using (var context = shop.NewContext())
        {
            (await context.Products.FirstAsync()).Name = "warm";
            await context.SaveChangesAsync();
            await context.Products.Where(p => p.Id < 0).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, 0));
        }
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _localServer?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    /// <summary>Kills the local <c>redis-server</c>, as a crash would.</summary>
    /// <exception cref="NotSupportedException">Redis is not a process of this fixture.</exception>
    public Task StopAsync()
    {
        RequireLocalServer().Stop();
        return Task.CompletedTask;
    }

    /// <summary>Starts the local <c>redis-server</c> again on the same port, empty, and waits until it answers.</summary>
    /// <exception cref="NotSupportedException">Redis is not a process of this fixture.</exception>
    public Task StartAsync()
    {
        var server = RequireLocalServer();
        return Task.Run(server.Start);
    }

    private LocalRedisServer RequireLocalServer() =>
        _localServer ?? throw new NotSupportedException(
            $"Stopping and starting Redis needs the local redis-server mode; this run uses the {Source} Redis ({Configuration}).");

    private void UseConfiguration(string configuration, string source)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AllowAdmin = true;
        Configuration = options.ToString(includePassword: true);
        Port = options.EndPoints is [System.Net.DnsEndPoint dns] ? dns.Port
            : options.EndPoints is [System.Net.IPEndPoint ip] ? ip.Port
            : null;
        Source = source;
    }

    private async Task<bool> TryStartContainerAsync()
    {
        // Only ask Testcontainers when an engine can plausibly answer; its own probing is slow without one.
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(dockerHost) && !File.Exists("/var/run/docker.sock"))
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(ContainerStartTimeout);
        RedisContainer? container = null;
        try
        {
            container = new RedisBuilder(ContainerImage).Build();
            await container.StartAsync(timeout.Token);
            _container = container;
            UseConfiguration(container.GetConnectionString(), "container");
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // No engine after all, or it could not pull or start the image in time: fall through to redis-server.
            if (container is not null)
            {
                await container.DisposeAsync();
            }

            return false;
        }
    }
}
