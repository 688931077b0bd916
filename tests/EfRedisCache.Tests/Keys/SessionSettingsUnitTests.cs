using EfRedisCache.Keys;
using Microsoft.Data.Sqlite;

namespace EfRedisCache.Tests.Keys;

public sealed class SessionSettingsUnitTests
{
    private const string Base = "Host=db;Port=5432;Database=shop;Username=app";

    [Theory]
    [InlineData("Search Path=tenant_b")]
    [InlineData("Options=-c app.tenant=7")]
    [InlineData("Timezone=Europe/Paris")]
    [InlineData("Some Future Keyword=1")] // unknown keywords are kept: they cost only misses
    public void Settings_that_can_change_rows_change_the_hash(string setting)
    {
        Assert.NotEqual(SessionSettings.Compute(Base), SessionSettings.Compute(Base + ";" + setting));
    }

    [Fact]
    public void Another_login_changes_the_hash()
    {
        Assert.NotEqual(SessionSettings.Compute(Base), SessionSettings.Compute(Base.Replace("app", "reporting", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Password=one", "Password=two")]
    [InlineData("Pooling=false", "Maximum Pool Size=7")]
    [InlineData("Timeout=5", "Command Timeout=60")]
    [InlineData("Application Name=api", "Application Name=worker")]
    [InlineData("Keepalive=10", "Connection Lifetime=300")]
    public void Secrets_and_connection_handling_do_not_change_the_hash(string one, string other)
    {
        Assert.Equal(SessionSettings.Compute(Base), SessionSettings.Compute(Base + ";" + one));
        Assert.Equal(SessionSettings.Compute(Base + ";" + one), SessionSettings.Compute(Base + ";" + other));
    }

    [Fact]
    public void Keyword_order_case_and_spaces_do_not_change_the_hash()
    {
        Assert.Equal(
            SessionSettings.Compute("Host=db;Database=shop;Search Path=b"),
            SessionSettings.Compute("searchpath=b;DATABASE=shop;host=db"));
    }

    [Fact]
    public void A_string_the_generic_parser_refuses_is_not_cached()
    {
        Assert.Null(SessionSettings.Compute("Host=db;Password='unclosed"));
    }

    [Fact]
    public void Equal_strings_on_different_connections_give_one_hash_and_the_database_identity_ignores_the_session()
    {
        // An absolute path: DatabaseIdentityUnitTests changes the data directory, which relative paths follow.
        var path = Path.Combine(Path.GetTempPath(), "session-a.db");
        using var plain = new SqliteConnection("Data Source=" + path);
        using var again = new SqliteConnection(string.Concat("Data Source=", path));
        using var other = new SqliteConnection("Data Source=" + path + ";Foreign Keys=False");

        Assert.Equal(Session(plain), Session(again));
        Assert.NotEqual(Session(plain), Session(other));
        Assert.Equal(Session(plain), Session(plain));

        // Version keys stay per database: a write through one session must invalidate the other's entries.
        Assert.Equal(DatabaseIdentity.Of(plain), DatabaseIdentity.Of(other));
    }

    [Fact]
    public void Npgsql_logs_in_as_the_operating_system_user_when_no_login_is_named_so_that_user_is_part_of_the_session()
    {
        static string? NoEnvironment(string variable) => null;
        const string noLogin = "Host=/var/run/postgresql;Database=shop";

        Assert.NotEqual(
            SessionSettings.Compute(noLogin, npgsqlDefaults: true, NoEnvironment, osUser: "billing"),
            SessionSettings.Compute(noLogin, npgsqlDefaults: true, NoEnvironment, osUser: "reporting"));

        // A login named in the string or in PGUSER is the login; the operating-system user then changes nothing.
        Assert.Equal(
            SessionSettings.Compute(noLogin + ";Username=app", npgsqlDefaults: true, NoEnvironment, osUser: "billing"),
            SessionSettings.Compute(noLogin + ";Username=app", npgsqlDefaults: true, NoEnvironment, osUser: "reporting"));
        Assert.Equal(
            SessionSettings.Compute(noLogin, npgsqlDefaults: true, v => v == "PGUSER" ? "app" : null, osUser: "billing"),
            SessionSettings.Compute(noLogin, npgsqlDefaults: true, v => v == "PGUSER" ? "app" : null, osUser: "reporting"));

        // Other providers do not fall back to it.
        Assert.Equal(
            SessionSettings.Compute(noLogin, npgsqlDefaults: false, NoEnvironment, osUser: "billing"),
            SessionSettings.Compute(noLogin, npgsqlDefaults: false, NoEnvironment, osUser: "reporting"));
    }

    private static ulong? Session(SqliteConnection connection)
    {
        DatabaseIdentity.Of(connection, out var session);
        return session;
    }
}
