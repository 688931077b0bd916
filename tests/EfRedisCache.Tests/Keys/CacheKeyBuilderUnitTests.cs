using System.Data.Common;
using EfRedisCache.Keys;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Keys;

public sealed class CacheKeyBuilderUnitTests
{
    private const string Sql = "SELECT * FROM \"Products\" WHERE \"Sku\" = @p";

    [Fact]
    public void Equal_commands_give_equal_keys()
    {
        Assert.Equal(KeyOf(new SqliteParameter("@p", "a")), KeyOf(new SqliteParameter("@p", "a")));
    }

    [Fact]
    public void The_provider_type_is_in_the_key()
    {
        var guid = Guid.NewGuid();
        Assert.NotEqual(KeyOf(new SqliteParameter("@p", guid) { SqliteType = SqliteType.Blob }), KeyOf(new SqliteParameter("@p", guid)));
    }

    [Fact]
    public void Size_precision_and_scale_are_in_the_key()
    {
        // SqliteParameter keeps no precision or scale (DbParameter's default ignores them); other providers do.
        var plain = KeyOf(new FakeParameter());
        Assert.NotEqual(plain, KeyOf(new FakeParameter { Size = 3 }));
        Assert.NotEqual(plain, KeyOf(new FakeParameter { Precision = 4 }));
        Assert.NotEqual(plain, KeyOf(new FakeParameter { Scale = 2 }));
        Assert.NotEqual(KeyOf(new FakeParameter { Precision = 4 }), KeyOf(new FakeParameter { Scale = 4 }));
    }

    [Fact]
    public void Enum_and_string_type_properties_of_a_provider_parameter_are_in_the_key()
    {
        var plain = KeyOf(new FakeParameter());
        Assert.Equal(plain, KeyOf(new FakeParameter()));
        Assert.NotEqual(plain, KeyOf(new FakeParameter { FakeDbType = FakeDbType.Jsonb }));
        Assert.NotEqual(plain, KeyOf(new FakeParameter { DataTypeName = "jsonb" }));
        Assert.NotEqual(KeyOf(new FakeParameter { DataTypeName = "" }), plain); // null and "" differ
        Assert.Equal(plain, KeyOf(new FakeParameter { SourceTable = "elsewhere" })); // not named for a type
    }

    [Fact]
    public void A_type_property_that_throws_makes_the_query_not_cacheable()
    {
        Assert.Null(KeyOf(new FakeParameter { Throws = true }));
        Assert.Null(KeyOf(new SqliteParameter("@p", new object()))); // SqliteType has no mapping for object
    }

    /// <summary>
    /// Two context types over one table rarely send one SQL text now that each query carries its LINQ shape's tag
    /// (<c>ReadPath/IsolationTests</c> compares their SQL without it), so the key's own part is checked here.
    /// </summary>
    [Fact]
    public void The_context_type_is_in_the_key()
    {
        Assert.NotEqual(KeyOf(new SqliteParameter("@p", "a")), KeyOf(new SqliteParameter("@p", "a"), typeof(FakeParameter)));
    }

    [Fact]
    public void A_value_left_null_and_DBNull_give_other_keys()
    {
        Assert.NotEqual(KeyOf(new SqliteParameter("@p", DBNull.Value)), KeyOf(new SqliteParameter("@p", null)));
    }

    [Fact]
    public void A_long_command_without_a_key_does_not_pin_a_large_buffer_to_its_thread()
    {
        // A long SQL text (an inlined IN list) with a parameter whose type property throws, or a value the codec cannot
        // write: the key is refused after the text was written, and the buffer grown for it stayed with the thread.
        var longText = "SELECT * FROM \"Products\" WHERE \"Id\" IN (" + string.Join(", ", Enumerable.Range(0, 40_000)) + ") AND \"Sku\" = @p";
        foreach (var parameter in new DbParameter[] { new SqliteParameter("@p", new object()), new SqliteParameter("@p", SqliteType.Text) { Value = new object() } })
        {
            using var command = new SqliteCommand(longText);
            command.Parameters.Add(parameter);

            Assert.Null(CacheKeyBuilder.TryBuild(command, "db", 7, typeof(CacheKeyBuilderUnitTests), "model"));
            Assert.InRange(CacheKeyBuilder.ThreadBufferCapacity, 0, 64 * 1024);
        }
    }

    private static string? KeyOf(DbParameter parameter, Type? contextType = null)
    {
        using var connection = new SqliteConnection("Data Source=keys.db");
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.Add(parameter);
        return CacheKeyBuilder.TryBuild(command, "db", 7, contextType ?? typeof(CacheKeyBuilderUnitTests), "model");
    }

    public enum FakeDbType
    {
        Json,
        Jsonb,
    }

    /// <summary>
    /// A provider's parameter as the key sees it: an enum and a string naming a type, and a property that names none.
    /// Derived from <see cref="SqliteParameter"/> so that a <see cref="SqliteCommand"/> takes it.
    /// </summary>
    private sealed class FakeParameter() : SqliteParameter("@p", "a")
    {
        public FakeDbType FakeDbType { get; set; }

        public string? DataTypeName { get; set; }

        public string? SourceTable { get; set; }

        public bool Throws { get; set; }

        public string? UdtTypeName => Throws ? throw new InvalidOperationException("no type") : null;

        public override byte Precision { get; set; }

        public override byte Scale { get; set; }
    }
}
