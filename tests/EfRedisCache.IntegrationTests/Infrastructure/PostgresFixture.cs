using Xunit;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server of <see cref="PostgresCollection"/>: the <c>EFRC_TEST_POSTGRES</c> connection string
/// (a server where its user may create databases), else a throw-away local cluster on a free loopback port
/// (<see cref="LocalPostgresServer"/>). With neither it fails, loudly: never a silent skip.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "EFRC_TEST_POSTGRES";

    public const string NoPostgresMessage =
        "No PostgreSQL for the PostgreSQL tests: set EFRC_TEST_POSTGRES to an Npgsql connection string, " +
        "or install the server (Debian: apt-get install -y postgresql)";

    private LocalPostgresServer? _server;
    private Func<string, string>? _connectionString;

    /// <summary>A database of its own, not yet created (<c>EnsureCreated</c> creates it); dispose drops it.</summary>
    public PostgresTestDatabase NewDatabase()
    {
        var connectionString = _connectionString ?? throw new InvalidOperationException("The fixture has not been initialized.");
        return new PostgresTestDatabase(connectionString("efrc_" + Guid.NewGuid().ToString("N")), connectionString("postgres"));
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            _connectionString = database => new Npgsql.NpgsqlConnectionStringBuilder(configured) { Database = database }.ToString();
            return;
        }

        var binDirectory = LocalPostgresServer.FindBinDirectory() ?? throw new InvalidOperationException(NoPostgresMessage);
        _server = await Task.Run(() => LocalPostgresServer.StartNew(binDirectory));
        _connectionString = _server.ConnectionString;
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
