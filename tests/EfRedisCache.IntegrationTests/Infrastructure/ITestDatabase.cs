using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>A database of its own for one test: a SQLite file (<see cref="SqliteTestDatabase"/>) or a PostgreSQL database (<see cref="PostgresTestDatabase"/>).</summary>
public interface ITestDatabase : IDisposable
{
    string ConnectionString { get; }

    /// <summary>Points <paramref name="builder"/> at this database with its provider (options: <see cref="TestDatabaseExtensions.CreateOptions"/>).</summary>
    DbContextOptionsBuilder Use(DbContextOptionsBuilder builder);
}
