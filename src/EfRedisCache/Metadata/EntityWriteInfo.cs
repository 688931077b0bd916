using Microsoft.EntityFrameworkCore.Metadata;

namespace EfRedisCache.Metadata;

/// <summary>
/// What a save of one entity type writes. <see cref="OwnTables"/> hold its rows; <see cref="CascadeTables"/>
/// are changed by the database itself when one is deleted (ON DELETE CASCADE / SET NULL).
/// <see cref="RowKeyedTables"/> are the own tables whose rows a save names by the stored value of
/// <see cref="KeyProperty"/>, and whose row versions it bumps (lookups of any model over the database may depend on them).
/// <see cref="UnnamedRowTables"/>: the own tables whose rows a save cannot name by one integer (a composite, GUID or
/// string key), so a save bumps their bulk epoch, since another context type may key the same table by an integer
/// column and version its lookups per row.
/// <see cref="WritesUnknownTables"/>: no table mapping, or stored procedures that may write anything.
/// </summary>
internal sealed record EntityWriteInfo(
    string[] OwnTables,
    string[] CascadeTables,
    string[] RowKeyedTables,
    IProperty? KeyProperty,
    string[] UnnamedRowTables,
    bool WritesUnknownTables);
