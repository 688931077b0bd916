namespace EfRedisCache.Sql;

/// <summary>
/// What a command writes: the tables it names as targets (lower case), or <see cref="UnknownTarget"/> when it
/// may write something the scanner cannot name (DDL, a procedure call), which invalidates the whole database;
/// and what its transaction statements leave open (<see cref="Control"/>) or whether it asks for snapshot
/// isolation (<see cref="SnapshotIsolation"/>). <see cref="SingleStatement"/>: the command is one statement, which
/// has no effect at all when it fails. <see cref="Databases"/>: the databases a <c>CREATE</c>, <c>DROP</c>, <c>ALTER</c> or
/// <c>RESTORE DATABASE</c> names, each invalidated as a whole beside the connection's own. <see cref="TargetQualifiers"/>:
/// what qualifies the written tables' names (lower case), a schema or SQLite's attached database. <see cref="LostPlace"/>:
/// the tokenizer could not read part of the command (a quote that never closes, text two databases read two ways), which
/// may hold any statement, a <c>BEGIN</c> or <c>COMMIT</c> too.
/// </summary>
internal sealed record WriteAnalysis(string[] Tables, bool UnknownTarget, TransactionControl Control = TransactionControl.None, bool SnapshotIsolation = false, bool SingleStatement = false)
{
    public static WriteAnalysis None { get; } = new([], false);

    public string[] Databases { get; init; } = [];

    public string[] TargetQualifiers { get; init; } = [];

    public bool LostPlace { get; init; }

    public bool IsWrite => UnknownTarget || Tables.Length > 0;
}
