using EfRedisCache.Keys;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Keys;

public sealed class DatabaseIdentityUnitTests
{
    [Fact]
    public void One_connection_keeps_its_id()
    {
        using var connection = new SqliteConnection("Data Source=identity-a.db");

        var first = DatabaseIdentity.Of(connection);

        Assert.NotNull(first);
        Assert.Same(first, DatabaseIdentity.Of(connection));
    }

    [Fact]
    public void A_changed_connection_string_gives_the_new_database_id()
    {
        using var connection = new SqliteConnection("Data Source=identity-b.db");
        using var other = new SqliteConnection("Data Source=identity-c.db");
        var before = DatabaseIdentity.Of(connection);

        connection.ConnectionString = "Data Source=identity-c.db";

        Assert.NotEqual(before, DatabaseIdentity.Of(connection));
        Assert.Equal(DatabaseIdentity.Of(other), DatabaseIdentity.Of(connection));
    }

    [Fact]
    public void A_connection_moved_to_a_private_memory_database_is_no_longer_cached()
    {
        using var connection = new SqliteConnection("Data Source=identity-d.db");
        Assert.NotNull(DatabaseIdentity.Of(connection));

        connection.ConnectionString = "Data Source=:memory:";

        Assert.Null(DatabaseIdentity.Of(connection));
        Assert.Null(DatabaseIdentity.Of(connection));
    }

    [Fact]
    public void Equal_strings_on_different_connections_name_one_database()
    {
        using var a = new SqliteConnection("Data Source=identity-e.db");
        using var b = new SqliteConnection(string.Concat("Data Source=", "identity-e.db"));

        Assert.Equal(DatabaseIdentity.Of(a), DatabaseIdentity.Of(b));
    }

    [Fact]
    public void Alternating_connections_to_two_databases_each_keep_their_own_id()
    {
        using var a = new SqliteConnection("Data Source=identity-f.db");
        using var b = new SqliteConnection("Data Source=identity-g.db");
        var idA = DatabaseIdentity.Of(a);
        var idB = DatabaseIdentity.Of(b);

        Assert.NotEqual(idA, idB);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(idA, DatabaseIdentity.Of(a));
            Assert.Equal(idB, DatabaseIdentity.Of(b));
        }
    }
}
