using EfRedisCache.Sql;

namespace EfRedisCache.Tests.Sql;

/// <summary>What raw SQL leaves open: EF Core does not see transactions begun with statements, the cache must.</summary>
public sealed class TransactionControlScannerUnitTests
{
    private static readonly HashSet<string> Tables = new(StringComparer.OrdinalIgnoreCase) { "Products" };

    [Theory]
    [InlineData("BEGIN", "Begin")]
    [InlineData("begin transaction", "Begin")]
    [InlineData("BEGIN IMMEDIATE", "Begin")]
    [InlineData("BEGIN ISOLATION LEVEL SERIALIZABLE", "Begin")]
    [InlineData("START TRANSACTION READ ONLY", "Begin")]
    [InlineData("SAVEPOINT s1", "Begin")]
    [InlineData("COMMIT", "End")]
    [InlineData("END", "End")]
    [InlineData("END TRANSACTION", "End")]
    [InlineData("ROLLBACK", "End")]
    [InlineData("ABORT", "End")]
    [InlineData("PREPARE TRANSACTION 'order-17'", "End")]
    [InlineData("ROLLBACK TO SAVEPOINT s1", "Checkpoint")]
    [InlineData("RELEASE SAVEPOINT s1", "Checkpoint")]
    [InlineData("COMMIT AND CHAIN", "Checkpoint")]
    [InlineData("BEGIN; UPDATE Products SET Name = 'x'; COMMIT", "End")]
    [InlineData("COMMIT; BEGIN", "Checkpoint")]
    [InlineData("UPDATE Products SET Name = 'x'", "None")]
    [InlineData("BEGIN UPDATE Products SET Name = 'x' END", "None")]
    [InlineData("BEGIN TRY SELECT 1 END TRY", "None")]
    [InlineData("SELECT 'BEGIN'", "None")]
    [InlineData("DO $$ BEGIN UPDATE Products SET Name = 'x'; END $$", "None")]
    [InlineData("BEGIN; SELECT 1 AS begin; END", "End")]
    [InlineData("BEGIN; SELECT 1 begin; END", "End")]
    [InlineData("BEGIN; SELECT begin, t.begin FROM t; END", "End")]
    [InlineData("BEGIN; SELECT max(begin) FROM t; END", "End")]
    [InlineData("BEGIN; SELECT 1 AS begin FROM t UNION SELECT 2; END", "End")]
    [InlineData("BEGIN; CREATE PROCEDURE p AS BEGIN UPDATE u SET a = 1; END", "Begin")]
    [InlineData("BEGIN; CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET a = 1; END", "Begin")]
    [InlineData("BEGIN; CREATE TRIGGER tr AFTER INSERT ON t WHEN new.a > 1 BEGIN UPDATE u SET a = 1; END; COMMIT", "End")]
    public void Reads_what_a_command_leaves_open(string sql, string expected)
    {
        Assert.Equal(Enum.Parse<TransactionControl>(expected), SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).Control);
    }

    [Fact]
    public void A_write_between_begin_and_commit_is_still_named()
    {
        var write = SqlWriteScanner.Analyze("BEGIN; UPDATE Products SET Name = 'x'; COMMIT", Tables, isNonQuery: true);

        Assert.Equal(["products"], write.Tables);
        Assert.Equal(TransactionControl.End, write.Control);
    }

    [Theory]
    [InlineData("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", true)]
    [InlineData("set transaction isolation level serializable", true)]
    [InlineData("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE", true)]
    [InlineData("SET default_transaction_isolation = 'repeatable read'", true)]
    [InlineData("SET TRANSACTION ISOLATION LEVEL SNAPSHOT", true)]
    [InlineData("SET TRANSACTION ISOLATION LEVEL READ COMMITTED", false)]
    [InlineData("SET search_path = 'serializable'", false)]
    [InlineData("SELECT 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE'", false)]
    public void Reads_a_request_for_snapshot_isolation(string sql, bool snapshot)
    {
        Assert.Equal(snapshot, SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true).SnapshotIsolation);
    }

    /// <summary>Where the tokenizer lost its place, a BEGIN or COMMIT may hide: the command says so.</summary>
    [Theory]
    [InlineData("-- unit of work\rBEGIN")]
    [InlineData("/* a /* b */ COMMIT; -- */")]
    [InlineData("COMMIT; SELECT 'never closed")]
    public void A_command_the_tokenizer_could_not_read_says_it_lost_its_place(string sql)
    {
        var write = SqlWriteScanner.Analyze(sql, Tables, isNonQuery: true);

        Assert.True(write.LostPlace);
        Assert.True(write.UnknownTarget);
    }
}
