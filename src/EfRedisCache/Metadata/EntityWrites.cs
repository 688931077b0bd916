using EfRedisCache.Invalidation;
using EfRedisCache.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EfRedisCache.Metadata;

/// <summary>
/// How a save of an entity type reaches the database, read from the model once (<see cref="ModelCacheInfo"/> keeps the
/// answers): the tables its rows live in, the tables the database changes when one is deleted, and the value that
/// names its row in a row version.
/// </summary>
internal static class EntityWrites
{
    /// <summary>What a save of <paramref name="entityType"/> writes (<see cref="EntityWriteInfo"/>).</summary>
    public static EntityWriteInfo Describe(IEntityType entityType)
    {
        var own = OwnTables(entityType);
        // Own tables stay in: a foreign key into its own table (a tree) cascades to other rows of it, which the
        // row versions of the deleted entries do not reach.
        var cascade = DeleteTables(entityType);
        var key = RowKeyProperty(entityType);
        var rowKeyed = key is null ? [] : RowNamedTables(entityType, key);
        var unknown = own.Count == 0
            || entityType.GetInsertStoredProcedure() is not null
            || entityType.GetUpdateStoredProcedure() is not null
            || entityType.GetDeleteStoredProcedure() is not null;
        // Tables whose rows a save cannot name by an integer (a composite, GUID or string key) get their bulk epoch
        // bumped: another context type over the database may key the same table by an integer column and cache
        // key lookups that only row versions and the bulk epoch reach.
        var unnamed = own.Except(rowKeyed, StringComparer.Ordinal).ToArray();
        return new EntityWriteInfo([.. own], [.. cascade], rowKeyed, rowKeyed.Length == 0 ? null : key, unnamed, unknown);
    }

    /// <summary>
    /// The property whose value names the row an entity of <paramref name="entityType"/> is saved in: its single
    /// key property, or, for a type stored inside a JSON column of its owner (<c>ToJson()</c>), the property of its
    /// ownership key that holds the row's key — through every level of nesting, where each owned type's key
    /// begins with its owner's. Null when the row cannot be named by one value (a composite key).
    /// </summary>
    public static IProperty? RowKeyProperty(IEntityType entityType)
    {
        if (!entityType.IsMappedToJson())
        {
            return entityType.FindPrimaryKey() is { Properties.Count: 1 } primaryKey ? primaryKey.Properties[0] : null;
        }

        if (entityType.FindOwnership() is not { } ownership || RowKeyProperty(ownership.PrincipalEntityType) is not { } ownerRowKey)
        {
            return null;
        }

        for (var i = 0; i < ownership.PrincipalKey.Properties.Count; i++)
        {
            if (ownership.PrincipalKey.Properties[i] == ownerRowKey)
            {
                return ownership.Properties[i];
            }
        }

        return null;
    }

    /// <summary>
    /// The tables whose row a save of <paramref name="entityType"/> names by the stored value of <paramref name="key"/>:
    /// those whose one-column primary key it maps to, when that value is an integer. Decided without
    /// <see cref="ModelCacheInfo.RowKeyedTables"/>, which says where this model's own lookups may use row versions: another context
    /// type over the same database may map the same column as a plain integer (a read model beside a write model with
    /// strongly-typed ids, behind a value converter) and cache key lookups that only the row version reaches.
    /// </summary>
    private static string[] RowNamedTables(IEntityType entityType, IProperty key)
    {
        var stored = key.FindTypeMapping()?.Converter?.ProviderClrType ?? key.ClrType;
        if (!RowKey.IsInteger(Nullable.GetUnderlyingType(stored) ?? stored))
        {
            return [];
        }

        var row = entityType.IsMappedToJson() ? RootOwner(entityType) : entityType;
        if ((entityType.IsMappedToJson() ? RowKeyProperty(row) : key) is not { } rowKey)
        {
            return [];
        }

        var tables = new SortedSet<string>(StringComparer.Ordinal);
        for (var type = row; type is not null; type = type.BaseType)
        {
            foreach (var mapping in type.GetTableMappings())
            {
                var table = mapping.Table;
                if (table.PrimaryKey is { Columns.Count: 1 } primaryKey
                    && rowKey.GetColumnName(StoreObjectIdentifier.Table(table.Name, table.Schema)) == primaryKey.Columns[0].Name)
                {
                    tables.Add(TableIdentity.Of(table.Name));
                }
            }
        }

        return [.. tables];
    }

    /// <summary>The entity type whose row holds <paramref name="entityType"/>: itself, or for a type stored in a JSON column, its outermost owner.</summary>
    public static IEntityType RootOwner(IEntityType entityType)
    {
        var type = entityType;
        while (type.IsMappedToJson() && type.FindOwnership() is { } ownership)
        {
            type = ownership.PrincipalEntityType;
        }

        return type;
    }

    private static SortedSet<string> OwnTables(IEntityType entityType)
    {
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        for (var type = entityType; type is not null; type = type.BaseType)
        {
            foreach (var mapping in type.GetTableMappings())
            {
                tables.Add(TableIdentity.Of(mapping.Table.Name));
            }
        }

        return tables;
    }

    /// <summary>
    /// A delete also changes the rows the database itself deletes or nulls through foreign keys
    /// (ON DELETE CASCADE / SET NULL), which the change tracker never sees when they were not loaded.
    /// </summary>
    private static SortedSet<string> DeleteTables(IEntityType entityType)
    {
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<IEntityType>();
        var pending = new Stack<IEntityType>();
        pending.Push(entityType);
        while (pending.Count > 0)
        {
            var principal = pending.Pop();
            if (!visited.Add(principal))
            {
                continue;
            }

            foreach (var foreignKey in principal.GetReferencingForeignKeys())
            {
                if (foreignKey.DeleteBehavior is not (DeleteBehavior.Cascade or DeleteBehavior.SetNull))
                {
                    continue;
                }

                foreach (var dependent in DependentTypes(foreignKey.DeclaringEntityType))
                {
                    var dependentTables = OwnTables(dependent);
                    if (SharesPrincipalRow(foreignKey))
                    {
                        // Table splitting (an owned type in its owner's table): the dependent is the principal's own row.
                        dependentTables.ExceptWith(OwnTables(principal));
                    }

                    tables.UnionWith(dependentTables);
                    if (foreignKey.DeleteBehavior == DeleteBehavior.Cascade)
                    {
                        pending.Push(dependent);
                    }
                }

                if (foreignKey.DeleteBehavior == DeleteBehavior.Cascade)
                {
                    // The constraint is on the declaring type's table, and the database deletes that table's row:
                    // with it every entity type stored in the row (an owned type's owner, a table split's
                    // principal), whose own cascades then follow. Pushing only the declaring type left the owner's
                    // dependents out (CascadeThroughSharedRowTests).
                    foreach (var rowSharer in TypesInConstraintTables(foreignKey))
                    {
                        tables.UnionWith(OwnTables(rowSharer));
                        pending.Push(rowSharer);
                    }
                }
            }
        }

        return tables;
    }

    /// <summary>
    /// The entity types mapped to the tables that hold <paramref name="foreignKey"/>'s constraint, but for a key shared
    /// with the principal's row in the principal's own table: that row is the principal's, not another one to delete.
    /// </summary>
    private static IEnumerable<IEntityType> TypesInConstraintTables(IForeignKey foreignKey)
    {
        foreach (var constraint in foreignKey.GetMappedConstraints())
        {
            if (constraint.Table == constraint.PrincipalTable && SharesPrincipalRow(foreignKey))
            {
                continue;
            }

            foreach (var mapping in constraint.Table.EntityTypeMappings)
            {
                if (mapping.TypeBase is IEntityType entityType)
                {
                    yield return entityType;
                }
            }
        }
    }

    /// <summary>A one-to-one from primary key to primary key: in a table both share, the dependent's row is the principal's.</summary>
    private static bool SharesPrincipalRow(IForeignKey foreignKey)
        => foreignKey.IsUnique
            && foreignKey.PrincipalKey.IsPrimaryKey()
            && foreignKey.DeclaringEntityType.FindPrimaryKey() is { } dependentKey
            && dependentKey.Properties.SequenceEqual(foreignKey.Properties);

    private static IEnumerable<IEntityType> DependentTypes(IEntityType declaring)
    {
        yield return declaring;
        foreach (var derived in declaring.GetDerivedTypes())
        {
            yield return derived;
        }
    }
}
