using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL database of its own for one test on the run's server (<see cref="PostgresFixture"/>), under a
/// fresh name; <c>EnsureCreated</c> creates it, <see cref="Dispose"/> drops it.
/// </summary>
public sealed class PostgresTestDatabase : ITestDatabase
{
    private readonly string _maintenanceConnectionString;

    internal PostgresTestDatabase(string connectionString, string maintenanceConnectionString)
    {
        ConnectionString = connectionString;
        _maintenanceConnectionString = maintenanceConnectionString;
        Name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    public string ConnectionString { get; }

    /// <summary>The database's name on the server.</summary>
    public string Name { get; }

    public DbContextOptionsBuilder Use(DbContextOptionsBuilder builder) => builder.UseNpgsql(ConnectionString);

    public void Dispose()
    {
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        using var maintenance = new NpgsqlConnection(_maintenanceConnectionString);
        maintenance.Open();
        using var drop = maintenance.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)";
        drop.ExecuteNonQuery();
    }
}
