namespace EfRedisCache.Sql;

/// <summary>
/// The one list of SQL whose result changes from call to call although its text and parameters do not: the
/// database's clock, random values, sequences, the session. A cached answer to such SQL goes stale as soon as
/// the clock moves or the sequence advances, and no write would ever invalidate it, so it is never cached.
/// Spellings of SQLite, PostgreSQL and SQL Server (and MySQL, where cheap); matched on tokens, so a string literal
/// that merely contains one of these names does not count, nor does a quoted identifier unless it is called:
/// <c>"random"</c> is a column, <c>"random"()</c> the function, which is how EF Core writes the name of a function
/// mapped with <c>HasDbFunction</c>.
/// </summary>
internal static class VolatileFunctions
{
    /// <summary>Functions, matched when the word is followed by <c>(</c> (schema-qualified too: <c>pg_catalog.now()</c>).</summary>
    private static readonly HashSet<string> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        // The clock. EF Core translates DateTime.Now/UtcNow to now() on PostgreSQL and GETDATE()/GETUTCDATE()/
        // SYSDATETIME() on SQL Server (SQLite: strftime(…, 'now'), caught by the literal below).
        "now", "statement_timestamp", "transaction_timestamp", "clock_timestamp", "timeofday",   // PostgreSQL
        "getdate", "getutcdate", "sysdatetime", "sysutcdatetime", "sysdatetimeoffset",          // SQL Server
        "sysdate", "curdate", "curtime", "utc_timestamp", "utc_date", "utc_time", "unix_timestamp", // MySQL

        // Random values and fresh identifiers.
        "random", "randomblob",                                                                 // SQLite (random: PostgreSQL too)
        "random_normal", "setseed", "gen_random_uuid", "uuidv4", "uuidv7",                      // PostgreSQL
        "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",                           // PostgreSQL's uuid-ossp
        "gen_random_bytes", "gen_salt", "pgp_sym_encrypt", "pgp_pub_encrypt",                   // PostgreSQL's pgcrypto (random salt, session key)
        "rand", "newid", "newsequentialid", "crypt_gen_random",                                 // SQL Server (rand: MySQL too)
        "uuid", "uuid_short",                                                                   // MySQL

        // Sequences, counters and what the connection did last: they advance or differ per call.
        "nextval", "currval", "lastval", "setval", "txid_current", "pg_current_xact_id",        // PostgreSQL
        "last_insert_rowid", "changes", "total_changes",                                        // SQLite
        "scope_identity", "ident_current",                                                      // SQL Server
        "last_insert_id", "found_rows", "row_count",                                            // MySQL

        // The session's settings: a cache key knows the database, not who reads it or with what settings.
        "current_setting", "session_context", "suser_sname", "user_name",
        // Who the session is: its server process, the client's address (PostgreSQL); SQL Server's @@SPID is a variable.
        "pg_backend_pid", "inet_client_addr", "inet_client_port", "pg_my_temp_schema",
    };

    /// <summary>
    /// Functions called for what they do to the session or the server — take or release an advisory lock, change a
    /// setting, create, write or delete a large object, end another session — whose answer also depends on other
    /// sessions (the lock was free, the object's new number). A hit would do nothing and report
    /// what another session's call did (<c>PostgreSql/PostgreSqlSessionEffectTests</c>). Unmarked raw SQL is left alone
    /// by <c>CacheAllQueries</c>, but raw SQL marked <c>Cacheable()</c>, or on a service provider the application builds
    /// itself, is not: so they are recognised here too.
    /// </summary>
    private static readonly HashSet<string> EffectFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "pg_advisory_lock", "pg_advisory_lock_shared", "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", // PostgreSQL
        "pg_try_advisory_lock", "pg_try_advisory_lock_shared", "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared",
        "pg_advisory_unlock", "pg_advisory_unlock_shared", "pg_advisory_unlock_all",
        "set_config", "pg_notify",                                                              // PostgreSQL
        "lo_create", "lo_creat", "lo_from_bytea", "lo_import", "lo_export", "lo_unlink",         // PostgreSQL's large objects
        "lo_put", "lowrite", "lo_truncate", "lo_truncate64",
        "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf",                           // PostgreSQL's server
        "get_lock", "release_lock", "release_all_locks", "is_free_lock", "is_used_lock",         // MySQL
        "applock_mode", "applock_test",                                                         // SQL Server
    };

    /// <summary>Keywords that read the clock or the session without parentheses (standard SQL, all providers).</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "current_timestamp", "current_date", "current_time", "localtimestamp", "localtime",
        "current_user", "session_user", "current_role", "system_user",
    };

    /// <summary>
    /// Date functions that read the clock when given no time value. SQLite's: <c>date()</c>, <c>datetime()</c>;
    /// <c>strftime</c> takes a format first, so <c>strftime('%s')</c> does too. PostgreSQL's <c>age(t)</c> is
    /// <c>age(current_date, t)</c>: cached, <c>age("BirthDate")</c> stayed a day behind after midnight.
    /// </summary>
    private static readonly HashSet<string> ClockDefaultFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "date", "time", "datetime", "julianday", "unixepoch", "strftime",
        "age",
    };

    /// <summary>
    /// PostgreSQL's special date/time inputs that are relative to the clock. <c>'now'</c> counts wherever it stands:
    /// it is also SQLite's spelling of the clock (<c>datetime('now')</c>, <c>strftime('%Y', 'now')</c>, which is what
    /// EF Core makes of DateTime.UtcNow there). The others count only as a date or time (cast, or after a type name),
    /// since 'today' is a plausible text value too.
    /// </summary>
    private static readonly HashSet<string> RelativeDateInputs = new(StringComparer.OrdinalIgnoreCase)
    {
        "today", "tomorrow", "yesterday",
    };

    private static readonly HashSet<string> DateTypeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "date", "time", "timetz", "timestamp", "timestamptz",
    };

    /// <summary>The reason the token at <paramref name="i"/> makes the SQL volatile, or null.</summary>
    public static string? ReasonAt(List<SqlToken> tokens, int i)
    {
        var token = tokens[i];
        if (token.Kind == SqlTokenKind.Other)
        {
            return IsClockLiteral(tokens, i) ? $"it reads the database's clock ({token.Text}); pass the time as a parameter to cache it" : null;
        }

        if (!token.IsIdentifier)
        {
            return null;
        }

        // A quoted name followed by "(" calls the function as the bare name does: PostgreSQL folds the bare name to
        // the lower case the list spells, SQLite ignores the case of function names.
        var call = i + 1 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.OpenParen;
        if (token.Kind == SqlTokenKind.QuotedIdentifier && !call)
        {
            return null;
        }

        if (call && EffectFunctions.Contains(token.Text))
        {
            return $"it calls {token.Text}(), which acts on the session or the server (a lock, a setting, a notification); an answer from the cache would not";
        }

        if (call && (Functions.Contains(token.Text) || (ClockDefaultFunctions.Contains(token.Text) && !HasTimeValue(tokens, i + 1, token.Text))))
        {
            return $"it calls {token.Text}(), whose result changes from call to call";
        }

        // With or without parentheses: MySQL accepts CURRENT_TIMESTAMP() too.
        if (Keywords.Contains(token.Text) && !(i > 0 && tokens[i - 1].Kind == SqlTokenKind.Dot))
        {
            return $"it reads {token.Text}, whose value changes from call to call";
        }

        // A random sample of a table (PostgreSQL, SQL Server), another one at every call unless REPEATABLE names a seed.
        if (token.IsKeyword("tablesample") && !SampleIsRepeatable(tokens, i))
        {
            return "it reads a random sample of a table (TABLESAMPLE without REPEATABLE), another one at every call";
        }

        // SQL Server's NEXT VALUE FOR sequence.
        if (token.IsKeyword("next") && i + 2 < tokens.Count && tokens[i + 1].IsKeyword("value") && tokens[i + 2].IsKeyword("for"))
        {
            return "it takes the next value of a sequence";
        }

        return null;
    }

    /// <summary>Whether the <c>TABLESAMPLE method (…)</c> at <paramref name="i"/> goes on with <c>REPEATABLE (seed)</c>.</summary>
    private static bool SampleIsRepeatable(List<SqlToken> tokens, int i)
    {
        var j = i + 1;
        while (j < tokens.Count && tokens[j].Kind != SqlTokenKind.OpenParen)
        {
            j++; // the method: BERNOULLI, SYSTEM, tsm_system_rows, schema-qualified too
        }

        j = SqlTokenSearch.SkipGroup(tokens, j, tokens.Count);
        return j < tokens.Count && tokens[j].IsKeyword("repeatable");
    }

    private static bool IsClockLiteral(List<SqlToken> tokens, int i)
    {
        var text = tokens[i].Text;
        if (text.Length < 2 || text[0] != '\'' || text[^1] != '\'')
        {
            return false;
        }

        var value = text.AsSpan(1, text.Length - 2).Trim();
        if (value.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!RelativeDateInputs.GetAlternateLookup<ReadOnlySpan<char>>().Contains(value))
        {
            return false;
        }

        // 'today'::date (the tokenizer reads "::date" as ":" then ":date"), date 'today', CAST('today' AS date).
        var castAfter = i + 1 < tokens.Count && tokens[i + 1].Text == ":";
        var typeBefore = i > 0 && tokens[i - 1].Kind == SqlTokenKind.Word && DateTypeNames.Contains(tokens[i - 1].Text);
        var castAround = i > 1 && tokens[i - 1].Kind == SqlTokenKind.OpenParen && tokens[i - 2].IsKeyword("cast");
        return castAfter || typeBefore || castAround;
    }

    /// <summary>
    /// Whether a date function's call (its <c>(</c> at <paramref name="open"/>) names a time value: any argument for
    /// most, a second one for <c>strftime</c>, whose first is the format, and for <c>age</c>, which takes two.
    /// </summary>
    private static bool HasTimeValue(List<SqlToken> tokens, int open, string function)
    {
        var needed = function.Equals("strftime", StringComparison.OrdinalIgnoreCase) || function.Equals("age", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
        var arguments = 0;
        var depth = 0;
        for (var j = open + 1; j < tokens.Count; j++)
        {
            var kind = tokens[j].Kind;
            if (kind == SqlTokenKind.CloseParen)
            {
                if (depth == 0)
                {
                    return arguments >= needed;
                }

                depth--;
                continue;
            }

            // An argument begins with the call's first token, and each comma at the call's own depth starts another.
            if (depth == 0 && (arguments == 0 || kind == SqlTokenKind.Comma))
            {
                arguments++;
            }

            if (kind == SqlTokenKind.OpenParen)
            {
                depth++;
            }
        }

        return true; // unterminated: no call this scanner can judge
    }
}
