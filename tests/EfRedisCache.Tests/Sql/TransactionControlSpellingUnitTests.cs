using EfRedisCache.Sql;

namespace EfRedisCache.Tests.Sql;

/// <summary>Re-check of the transaction statement scanner: block bodies whose END is not a transaction's end.</summary>
public sealed class TransactionControlSpellingUnitTests
{
    private static readonly HashSet<string> Tables = new(StringComparer.OrdinalIgnoreCase) { "Products" };

    [Theory]
    [InlineData("CREATE TEMP TRIGGER t AFTER INSERT ON Products BEGIN SELECT 1; END")]
    [InlineData("CREATE TRIGGER t AFTER UPDATE ON Products FOR EACH ROW BEGIN UPDATE Products SET Name = 'x'; END;")]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END")]
    public void A_block_body_END_does_not_end_a_transaction(string sql)
    {
        Assert.NotEqual(TransactionControl.End, SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).Control);
    }

    [Theory]
    [InlineData("BEGIN DEFERRED TRANSACTION", "Begin")]
    [InlineData("START TRANSACTION ISOLATION LEVEL REPEATABLE READ", "Begin")]
    [InlineData("/* c */ begin", "Begin")]
    [InlineData("BEGIN WORK", "Begin")]
    [InlineData("COMMIT WORK", "End")]
    [InlineData("END TRANSACTION", "End")]
    [InlineData("ROLLBACK TRANSACTION TO SAVEPOINT s", "Checkpoint")]
    [InlineData("RELEASE s", "Checkpoint")]
    public void Reads_other_spellings(string sql, string expected)
    {
        Assert.Equal(Enum.Parse<TransactionControl>(expected), SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).Control);
    }
}
