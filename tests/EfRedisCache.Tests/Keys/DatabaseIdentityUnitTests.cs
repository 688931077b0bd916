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

    [Fact]
    public void DataDirectory_and_relative_paths_follow_the_data_directory_as_sqlite_opens_them()
    {
        var first = Path.Combine(Path.GetTempPath(), "efrc-data-first");
        var second = Path.Combine(Path.GetTempPath(), "efrc-data-second");
        using var macro = new SqliteConnection("Data Source=|DataDirectory|identity-h.db");
        using var relative = new SqliteConnection("Data Source=identity-h.db");
        using var absolute = new SqliteConnection("Data Source=" + Path.Combine(first, "identity-h.db"));
        var previous = AppDomain.CurrentDomain.GetData("DataDirectory");
        try
        {
            AppDomain.CurrentDomain.SetData("DataDirectory", null);
            var macroUnset = DatabaseIdentity.Of(macro);
            var relativeUnset = DatabaseIdentity.Of(relative);
            var absoluteId = DatabaseIdentity.Of(absolute);

            AppDomain.CurrentDomain.SetData("DataDirectory", first);
            var macroFirst = DatabaseIdentity.Of(macro);
            Assert.NotEqual(macroUnset, macroFirst); // unset: the provider does not expand the macro
            Assert.Equal(absoluteId, macroFirst);
            Assert.Equal(absoluteId, DatabaseIdentity.Of(relative)); // a relative path is taken under it too
            Assert.Equal(absoluteId, DatabaseIdentity.Of(absolute));

            AppDomain.CurrentDomain.SetData("DataDirectory", second);
            Assert.NotEqual(macroFirst, DatabaseIdentity.Of(macro)); // the remembered answer does not outlive the change
            Assert.NotEqual(macroFirst, DatabaseIdentity.Of(relative));
            Assert.Equal(absoluteId, DatabaseIdentity.Of(absolute)); // absolute paths do not move

            AppDomain.CurrentDomain.SetData("DataDirectory", null);
            Assert.Equal(macroUnset, DatabaseIdentity.Of(macro));
            Assert.Equal(relativeUnset, DatabaseIdentity.Of(relative));
        }
        finally
        {
            AppDomain.CurrentDomain.SetData("DataDirectory", previous);
        }
    }

    [Fact]
    public void File_uris_do_not_follow_the_data_directory()
    {
        using var uri = new SqliteConnection("Data Source=file:identity-i.db");
        var previous = AppDomain.CurrentDomain.GetData("DataDirectory");
        try
        {
            AppDomain.CurrentDomain.SetData("DataDirectory", null);
            var unset = DatabaseIdentity.Of(uri);
            AppDomain.CurrentDomain.SetData("DataDirectory", Path.Combine(Path.GetTempPath(), "efrc-data-uri"));
            Assert.Equal(unset, DatabaseIdentity.Of(uri));
        }
        finally
        {
            AppDomain.CurrentDomain.SetData("DataDirectory", previous);
        }
    }
}
