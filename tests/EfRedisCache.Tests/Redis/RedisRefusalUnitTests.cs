using EfRedisCache.Redis;
using StackExchange.Redis;

namespace EfRedisCache.Tests.Redis;

/// <summary>
/// How the cache tells Redis's refusals apart: a wrong server (the lookup goes to the database and the server is
/// checked again), a slot on the move (the database, and no failure for the breaker), anything else (a failure).
/// The texts are the ones Redis 7 and StackExchange.Redis 3 produce; the cluster integration tests meet the real ones.
/// </summary>
public sealed class RedisRefusalUnitTests
{
    private static readonly Exception AskNotFollowed = new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.NoRedirect,
        "Endpoint 127.0.0.1:41365 serving hashslot 14766 is not reachable at this point of time. Please check connectTimeout value.", null, CommandStatus.Sent);

    private static readonly Exception TryAgain = new RedisServerException(RedisErrorKind.TryAgain, CommandFlags.NoRedirect, "TRYAGAIN Multiple keys request during rehashing of slot");

    private static readonly Exception MovedNotFollowed = new RedisServerException(RedisErrorKind.Moved, CommandFlags.NoRedirect,
        "Key has MOVED to Endpoint 127.0.0.1:41366 and hashslot 14766 but CommandFlags.NoRedirect was specified - redirect not followed for DEL app:{cache}:primary.");

    private static readonly Exception ReadOnly = new RedisServerException(RedisErrorKind.ReadOnly, CommandFlags.None, "READONLY You can't write against a read only replica.");

    public static TheoryData<string> Failures =>
    [
        "no server", // RedisConnectionException: nothing answered
        "socket", // a connection that broke mid-reply, whatever its message says
        "timeout",
        "script",
        "redirect followed", // the same words, for a node the client could not reach after following a redirect
    ];

    [Fact]
    public void An_ask_not_followed_and_tryagain_mean_the_slot_is_migrating_and_not_a_wrong_server()
    {
        Assert.True(RedisCacheStore.IsSlotMigrating(AskNotFollowed));
        Assert.True(RedisCacheStore.IsSlotMigrating(TryAgain));
        Assert.False(RedisCacheStore.IsWrongServer(AskNotFollowed));
        Assert.False(RedisCacheStore.IsWrongServer(TryAgain));
    }

    [Fact]
    public void Moved_and_readonly_mean_a_wrong_server_and_not_a_migrating_slot()
    {
        Assert.True(RedisCacheStore.IsWrongServer(MovedNotFollowed));
        Assert.True(RedisCacheStore.IsWrongServer(ReadOnly));
        Assert.False(RedisCacheStore.IsSlotMigrating(MovedNotFollowed));
        Assert.False(RedisCacheStore.IsSlotMigrating(ReadOnly));
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void Faults_are_neither(string kind)
    {
        Exception fault = kind switch
        {
            "no server" => new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.NoRedirect,
                "It was not possible to connect to the redis server(s). Error connecting right now.", null, CommandStatus.WaitingToBeSent),
            "socket" => new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.NoRedirect,
                "SocketFailure on 127.0.0.1:41365 serving hashslot 14766/Interactive", null, CommandStatus.Sent),
            "timeout" => new RedisTimeoutException(CommandFlags.NoRedirect, "Timeout awaiting response (outbound=0KiB, inbound=0KiB, 3000ms elapsed)", CommandStatus.Sent),
            "script" => new RedisServerException(RedisErrorKind.UnknownError, CommandFlags.None, "ERR Error running script: TRYAGAIN is in the text, not the kind"),
            _ => new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None,
                "Endpoint 127.0.0.1:41366 serving hashslot 14766 is not reachable at this point of time.", null, CommandStatus.Sent),
        };

        Assert.False(RedisCacheStore.IsSlotMigrating(fault));
        Assert.False(RedisCacheStore.IsWrongServer(fault));
    }
}
