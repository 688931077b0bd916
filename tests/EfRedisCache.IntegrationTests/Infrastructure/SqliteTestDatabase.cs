using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EfRedisCache.IntegrationTests.Infrastructure;

/// <summary>
/// A SQLite file of its own for one test, under <c>/tmp/efrc-tests</c> (the system temp directory elsewhere),
/// deleted with its -wal and -shm files on dispose. A file rather than <c>:memory:</c> so that several
/// contexts and connections see the same data, as they would with a real server.
/// </summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    public SqliteTestDatabase()
        : this(pooling: true)
    {
    }

    /// <param name="pooling">False: <c>Pooling=False</c>, so closing a connection closes its native connection too.</param>
    public SqliteTestDatabase(bool pooling)
    {
        var directory = OperatingSystem.IsWindows()
            ? Path.Combine(Path.GetTempPath(), "efrc-tests")
            : "/tmp/efrc-tests";
        Directory.CreateDirectory(directory);
        FilePath = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = pooling }.ToString();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public DbContextOptionsBuilder Use(DbContextOptionsBuilder builder) => builder.UseSqlite(ConnectionString);

    /// <summary>Creates the schema of <paramref name="context"/>'s model in this database.</summary>
    public void EnsureCreated(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Database.EnsureCreated();
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; release only this database's pool, not other tests'.
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(FilePath + suffix);
        }
    }
}
