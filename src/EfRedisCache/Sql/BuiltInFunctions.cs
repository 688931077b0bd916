namespace EfRedisCache.Sql;

/// <summary>
/// The functions SQL, SQLite and PostgreSQL define themselves, and what tells a call of any other in raw SQL. A user
/// function (<c>CREATE FUNCTION order_total(…)</c>, SQLite's <c>CreateFunction</c>) may read any table, none of which the
/// SQL names: raw SQL calling one, cached with dependencies on the tables its text names only, stayed stale after a
/// write to the table the function reads (<c>PostgreSql/PostgreSqlUnmappedFunctionTests</c>). Such a query depends on
/// every write instead: a miss more often, never a stale row. A built-in missing here costs the same, a miss more
/// often, so the list need not be complete. It is applied to raw SQL only (<c>FromSql</c>, <c>SqlQuery</c>): EF Core's
/// own SQL calls the built-ins its provider translates to, or functions the model maps, already followed.
/// </summary>
internal static class BuiltInFunctions
{
    /// <summary>Built-in functions (aggregates and window functions too), any case.</summary>
    private static readonly HashSet<string> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        // Standard SQL, spelled alike by SQLite and PostgreSQL.
        "abs", "avg", "cast", "ceil", "ceiling", "coalesce", "count", "exp", "extract", "floor", "ln", "lower", "max", "min",
        "mod", "nullif", "overlay", "position", "power", "round", "sqrt", "substring", "sum", "trim", "upper", "grouping",
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value", "every", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
        "corr", "covar_pop", "covar_samp", "percentile_cont", "percentile_disc", "mode", "any_value", "cube", "rollup",

        // SQLite: core, aggregate, date, math and JSON functions.
        "char", "concat", "concat_ws", "format", "glob", "hex", "ifnull", "iif", "if", "instr", "length", "like",
        "likelihood", "likely", "ltrim", "octet_length", "printf", "quote", "replace", "rtrim", "sign", "soundex",
        "sqlite_version", "sqlite_source_id", "substr", "typeof", "subtype", "unhex", "unicode", "unlikely", "zeroblob",
        "group_concat", "string_agg", "total", "median",
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff",
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cos", "cosh", "degrees", "log", "log10", "log2", "pi",
        "pow", "radians", "sin", "sinh", "tan", "tanh", "trunc",
        "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_error_position", "json_extract",
        "jsonb_extract", "json_insert", "jsonb_insert", "json_object", "jsonb_object", "json_patch", "jsonb_patch",
        "json_pretty", "json_remove", "jsonb_remove", "json_replace", "jsonb_replace", "json_set", "jsonb_set", "json_type",
        "json_valid", "json_quote", "json_group_array", "jsonb_group_array", "json_group_object", "jsonb_group_object",
        "json_each", "json_tree", "regexp",
        // Microsoft.Data.Sqlite's and EF Core's own, registered on every connection.
        "ef_add", "ef_avg", "ef_compare", "ef_divide", "ef_max", "ef_min", "ef_mod", "ef_multiply", "ef_negate", "ef_sum",

        // PostgreSQL: strings.
        "ascii", "bit_length", "btrim", "char_length", "character_length", "chr", "convert_from", "convert_to", "decode",
        "encode", "initcap", "left", "lpad", "md5", "normalize", "quote_ident", "quote_literal", "quote_nullable",
        "regexp_count", "regexp_instr", "regexp_like", "regexp_match", "regexp_matches", "regexp_replace",
        "regexp_split_to_array", "regexp_split_to_table", "regexp_substr", "repeat", "reverse", "right", "rpad",
        "split_part", "starts_with", "string_to_array", "string_to_table", "strpos", "to_ascii", "to_hex", "translate",
        "unistr", "sha224", "sha256", "sha384", "sha512", "casefold",
        // Numbers.
        "cbrt", "div", "factorial", "gcd", "lcm", "min_scale", "scale", "trim_scale", "width_bucket", "cot", "acosd",
        "asind", "atand", "atan2d", "cosd", "cotd", "sind", "tand",
        // Dates and times (the ones that read the clock are VolatileFunctions', and never cached).
        "age", "date_add", "date_bin", "date_part", "date_subtract", "date_trunc", "isfinite", "justify_days",
        "justify_hours", "justify_interval", "make_date", "make_interval", "make_time", "make_timestamp",
        "make_timestamptz", "to_timestamp", "to_char", "to_date", "to_number", "timezone",
        // Conditionals and aggregates.
        "greatest", "least", "num_nonnulls", "num_nulls", "array_agg", "bit_and", "bit_or", "bit_xor", "bool_and",
        "bool_or", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg", "range_agg", "range_intersect_agg",
        "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy",
        "regr_syy", "json_arrayagg", "json_objectagg",
        // Arrays and ranges.
        "array_append", "array_cat", "array_dims", "array_fill", "array_length", "array_lower", "array_ndims",
        "array_position", "array_positions", "array_prepend", "array_remove", "array_replace", "array_reverse",
        "array_sort", "array_to_string", "array_upper", "cardinality", "trim_array", "unnest", "generate_series",
        "generate_subscripts", "isempty", "lower_inc", "upper_inc", "lower_inf", "upper_inf", "range_merge",
        "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
        // JSON.
        "to_json", "to_jsonb", "array_to_json", "row_to_json", "json_build_array", "jsonb_build_array",
        "json_build_object", "jsonb_build_object", "jsonb_array_length", "json_each_text", "jsonb_each",
        "jsonb_each_text", "json_extract_path", "jsonb_extract_path", "json_extract_path_text", "jsonb_extract_path_text",
        "json_object_keys", "jsonb_object_keys", "json_populate_record", "jsonb_populate_record",
        "json_populate_recordset", "jsonb_populate_recordset", "json_array_elements", "jsonb_array_elements",
        "json_array_elements_text", "jsonb_array_elements_text", "json_typeof", "jsonb_typeof", "json_to_record",
        "jsonb_to_record", "json_to_recordset", "jsonb_to_recordset", "json_strip_nulls", "jsonb_strip_nulls",
        "jsonb_set_lax", "jsonb_pretty", "jsonb_path_exists", "jsonb_path_match", "jsonb_path_query",
        "jsonb_path_query_array", "jsonb_path_query_first", "json_scalar", "json_serialize", "json_query",
        "json_value", "json_exists", "json_table",
        // Text search, with the configuration named in the call (without it, the session's setting is read).
        "to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery", "ts_rank",
        "ts_rank_cd", "ts_headline", "setweight", "strip", "numnode", "querytree", "tsvector_to_array",
        "array_to_tsvector", "ts_delete", "ts_filter",
        // Types and identifiers.
        "pg_typeof", "uuid_extract_timestamp", "uuid_extract_version",
    };

    /// <summary>
    /// Words followed by <c>(</c> that call nothing: keywords (<c>IN (</c>, <c>EXISTS (</c>, <c>VALUES (</c>, <c>OVER (</c>,
    /// <c>FILTER (</c>, <c>AS (</c>) and type names with their precision (<c>numeric(10,2)</c>, <c>varchar(20)</c>). The
    /// tokenizer reads keywords and names alike as words, so they are told here.
    /// </summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "all", "and", "any", "array", "as", "asc", "between", "by", "case", "check", "collate", "cross", "current",
        "default", "desc", "distinct", "do", "else", "end", "escape", "except", "exclude", "exists", "fetch", "filter",
        "following", "for", "from", "full", "group", "groups", "having", "ilike", "in", "inner", "intersect", "is",
        "join", "lateral", "limit", "materialized", "natural", "not", "null", "nulls", "offset", "on", "only", "or",
        "order", "ordinality", "outer", "over", "overlaps", "partition", "placing", "preceding", "range", "recursive",
        "repeatable", "returning", "row", "rows", "select", "set", "sets", "similar", "some", "table",
        "tablesample", "bernoulli", "system", "then", "ties", "unbounded", "union", "using", "values", "when", "where",
        "window", "with", "within", "without", "match", "columns", "passing", "nested", "path", "key", "keys",
        "unique",

        // Type names, with a length or precision.
        "numeric", "decimal", "dec", "varchar", "character", "varying", "nchar", "nvarchar", "national", "bit",
        "varbinary", "binary", "float", "double", "precision", "real", "int", "integer", "smallint", "bigint",
        "timestamp", "timestamptz", "timetz", "interval", "zone", "text", "blob", "bytea", "boolean", "uuid",
    };

    /// <summary>
    /// Whether the token at <paramref name="i"/> calls a function that is not a built-in: a name (bare or quoted)
    /// followed by <c>(</c> that is neither a keyword nor a type name, nor an alias's or a CTE's column list. A name
    /// qualified by a schema other than <c>pg_catalog</c> (<c>public.f(</c>) is a user function.
    /// </summary>
    public static bool CallsUserFunctionAt(List<SqlToken> tokens, int i)
    {
        var token = tokens[i];
        if (!token.IsIdentifier || i + 1 >= tokens.Count || tokens[i + 1].Kind != SqlTokenKind.OpenParen)
        {
            return false;
        }

        if (i >= 2 && tokens[i - 1].Kind == SqlTokenKind.Dot && tokens[i - 2].IsIdentifier)
        {
            var schema = tokens[i - 2];
            var catalog = schema.Kind == SqlTokenKind.Word
                ? schema.Text.Equals("pg_catalog", StringComparison.OrdinalIgnoreCase)
                : schema.Text == "pg_catalog";
            return !catalog || !IsBuiltIn(token);
        }

        if (token.Kind == SqlTokenKind.Word && Keywords.Contains(token.Text))
        {
            return false;
        }

        if (IsBuiltIn(token))
        {
            return false;
        }

        // AS d(a, b), CAST(x AS t(…)); after a group only an alias can stand before "(": FROM (SELECT …) d(a, b).
        if (i > 0 && (tokens[i - 1].IsKeyword("as") || tokens[i - 1].Kind == SqlTokenKind.CloseParen))
        {
            return false;
        }

        return !IsCteColumnList(tokens, i + 1);
    }

    /// <summary>
    /// A quoted name is the built-in only as the database folds it: PostgreSQL's built-ins are lower case, so
    /// <c>"Lower"(x)</c> calls another function there. SQLite would take it for <c>lower</c>: a miss more often, no more.
    /// </summary>
    private static bool IsBuiltIn(SqlToken token)
        => Functions.Contains(token.Text)
            && (token.Kind == SqlTokenKind.Word || !token.Text.Any(char.IsAsciiLetterUpper));

    /// <summary>Whether the group opening at <paramref name="open"/> is followed by <c>AS [NOT] [MATERIALIZED] (</c>: <c>WITH x(a, b) AS (…)</c>.</summary>
    private static bool IsCteColumnList(List<SqlToken> tokens, int open)
    {
        var j = SqlTokenSearch.SkipGroup(tokens, open, tokens.Count);
        if (j >= tokens.Count || !tokens[j].IsKeyword("as"))
        {
            return false;
        }

        j++;
        if (j < tokens.Count && tokens[j].IsKeyword("not"))
        {
            j++;
        }

        if (j < tokens.Count && tokens[j].IsKeyword("materialized"))
        {
            j++;
        }

        return j < tokens.Count && tokens[j].Kind == SqlTokenKind.OpenParen;
    }
}
