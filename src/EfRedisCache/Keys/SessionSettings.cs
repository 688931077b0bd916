using System.Data.Common;
using System.IO.Hashing;
using System.Text;

namespace EfRedisCache.Keys;

/// <summary>
/// The connection string's settings that can change a query's rows on one database: PostgreSQL's search path, the
/// login (row-level security by role), <c>Options</c> such as <c>-c app.tenant=…</c>, the time zone. They go into
/// the entry key only. The database identity, and so the version keys, stay per database: a write through one
/// login must still invalidate the entries read through another.
/// </summary>
/// <remarks>
/// Every keyword counts except secrets and a short list known not to change rows. A keyword this list does not
/// know — another provider's, a future one — is kept: it costs only misses, where leaving out one that matters
/// would serve another session's rows. Spellings are not unified beyond case and spaces (<c>Username</c> and
/// <c>User ID</c> for one login are two sessions to the cache): again misses only.
/// </remarks>
internal static class SessionSettings
{
    /// <summary>Keywords (lower case, no spaces) that decide how the connection is made or pooled, not what it reads.</summary>
    private static readonly HashSet<string> NoEffect = new(StringComparer.Ordinal)
    {
        "pooling", "minpoolsize", "maxpoolsize", "minimumpoolsize", "maximumpoolsize",
        "timeout", "connecttimeout", "connectiontimeout", "commandtimeout", "defaultcommandtimeout", "defaulttimeout",
        "keepalive", "tcpkeepalive", "tcpkeepalivetime", "tcpkeepaliveinterval",
        "connectionlifetime", "connectionidlelifetime", "connectionpruninginterval", "loadbalancetimeout",
        "applicationname", "app", "enlist", "persistsecurityinfo", "includeerrordetail",
    };

    /// <summary>
    /// A hash of the connection string's settings that can change results (equal strings give equal hashes; for
    /// Npgsql, with the environment's defaults for what the string leaves out, <see cref="NpgsqlEnvironment"/>), or
    /// <see langword="null"/> when the string cannot be parsed into keywords: its sessions cannot be told apart
    /// without hashing its password, so its queries are not cached. XxHash64 of the kept keywords and their values,
    /// sorted by keyword, each length-prefixed. Computed once per connection string: <see cref="DatabaseIdentity"/>
    /// remembers it beside the database's id.
    /// </summary>
    public static ulong? Compute(string connectionString, Type? connectionType = null)
        => Compute(
            connectionString,
            npgsqlDefaults: connectionType?.FullName?.StartsWith("Npgsql.", StringComparison.Ordinal) == true,
            Environment.GetEnvironmentVariable,
            Environment.UserName,
            connectionType is null ? string.Empty : ProviderCodeVersions.Of(connectionType, typeof(DbConnection)));

    /// <summary>
    /// <see cref="Compute(string, Type?)"/> with the process's environment given: <paramref name="npgsqlDefaults"/> adds
    /// what Npgsql takes from <paramref name="environment"/> and, when no login is named anywhere, the operating-system
    /// user <paramref name="osUser"/>, as whom Npgsql then logs in (peer authentication on a Unix socket, say): two
    /// services under different users with one connection string are two logins. <paramref name="providerCode"/>: the
    /// provider's assemblies and versions (<see cref="ProviderCodeVersions"/>): another build of the provider reads the
    /// same session's columns with other code, so its entries are its own; the database, and so the version keys, stay shared.
    /// </summary>
    internal static ulong? Compute(string connectionString, bool npgsqlDefaults, Func<string, string?> environment, string osUser, string providerCode = "")
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // A grammar of the provider's own that the generic parser refuses: no keyword can be told from a password.
            return null;
        }

        var kept = new List<(string Keyword, string Value)>();
        foreach (string keyword in builder.Keys)
        {
            var normalized = Normalize(keyword);
            if (!IsSecret(normalized) && !NoEffect.Contains(normalized))
            {
                kept.Add((normalized, builder[keyword]?.ToString() ?? string.Empty));
            }
        }

        if (npgsqlDefaults)
        {
            // Upper case with a colon: no normalized keyword of the string spells them.
            foreach (var variable in NpgsqlEnvironment)
            {
                if (environment(variable) is { } value)
                {
                    kept.Add(("ENV:" + variable, value));
                }
            }

            if (!kept.Exists(static k => k.Keyword is "username" or "userid" or "uid" or "user" or "ENV:PGUSER"))
            {
                kept.Add(("OS:USER", osUser));
            }
        }

        if (providerCode.Length > 0)
        {
            // Upper case with a colon, as above: no keyword of the string spells it.
            kept.Add(("CODE:PROVIDER", providerCode));
        }

        kept.Sort(static (a, b) =>
        {
            var byKeyword = string.CompareOrdinal(a.Keyword, b.Keyword);
            return byKeyword != 0 ? byKeyword : string.CompareOrdinal(a.Value, b.Value);
        });

        var text = new StringBuilder();
        foreach (var (keyword, value) in kept)
        {
            text.Append(keyword.Length).Append(':').Append(keyword).Append(value.Length).Append(':').Append(value);
        }

        return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// The environment variables from which Npgsql, like libpq, takes a session's time zone, options and login when
    /// the connection string names none: two processes with one connection string and different values (a container
    /// per region or per tenant) open different sessions. Read when the connection string is first seen, as the rest
    /// of the answer; <c>PGPASSWORD</c> is a secret and never read.
    /// </summary>
    private static readonly string[] NpgsqlEnvironment = ["PGTZ", "PGOPTIONS", "PGUSER"];

    private static string Normalize(string keyword)
        => keyword.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>
    /// Never hashed: XxHash is fast enough to guess a password from its hash, and the hash reaches Redis inside
    /// every entry key. Two logins that differ only in their password read the same rows anyway.
    /// </summary>
    private static bool IsSecret(string keyword)
        => keyword.Contains("password", StringComparison.Ordinal)
           || keyword.Contains("pwd", StringComparison.Ordinal)
           || keyword.Contains("secret", StringComparison.Ordinal)
           || keyword.Contains("token", StringComparison.Ordinal);

}
