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
    private const string Unreachable = "Endpoint 127.0.0.1:41365 serving hashslot 14766 is not reachable at this point of time. Please check connectTimeout value.";

    /// <summary>Each case: what StackExchange.Redis throws, and whether it is a wrong server, a migrating slot.</summary>
    [Theory]
    [InlineData("ask not followed", false, true)] // NoRedirect: StackExchange.Redis words an unfollowed ASK as an unreachable endpoint
    [InlineData("tryagain", false, true)]
    [InlineData("moved not followed", true, false)]
    [InlineData("readonly", true, false)]
    [InlineData("no server", false, false)] // nothing answered
    [InlineData("socket", false, false)] // a connection that broke mid-reply, whatever its message says
    [InlineData("timeout", false, false)]
    [InlineData("script", false, false)] // TRYAGAIN in an error's text, not its kind
    [InlineData("redirect followed", false, false)] // the ASK's words, for a node not reached after following a redirect
    public void Each_refusal_is_told_apart(string refusal, bool wrongServer, bool slotMigrating)
    {
        Exception exception = refusal switch
        {
            "ask not followed" => new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.NoRedirect, Unreachable, null, CommandStatus.Sent),
            "tryagain" => new RedisServerException(RedisErrorKind.TryAgain, CommandFlags.NoRedirect, "TRYAGAIN Multiple keys request during rehashing of slot"),
            "moved not followed" => new RedisServerException(RedisErrorKind.Moved, CommandFlags.NoRedirect,
                "Key has MOVED to Endpoint 127.0.0.1:41366 and hashslot 14766 but CommandFlags.NoRedirect was specified - redirect not followed for DEL app:{cache}:primary."),
            "readonly" => new RedisServerException(RedisErrorKind.ReadOnly, CommandFlags.None, "READONLY You can't write against a read only replica."),
            "no server" => new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.NoRedirect,
                "It was not possible to connect to the redis server(s). Error connecting right now.", null, CommandStatus.WaitingToBeSent),
            "socket" => new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.NoRedirect,
                "SocketFailure on 127.0.0.1:41365 serving hashslot 14766/Interactive", null, CommandStatus.Sent),
            "timeout" => new RedisTimeoutException(CommandFlags.NoRedirect, "Timeout awaiting response (outbound=0KiB, inbound=0KiB, 3000ms elapsed)", CommandStatus.Sent),
            "script" => new RedisServerException(RedisErrorKind.UnknownError, CommandFlags.None, "ERR Error running script: TRYAGAIN is in the text, not the kind"),
            "redirect followed" => new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, Unreachable, null, CommandStatus.Sent),
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "no such case"),
        };

        Assert.Equal(wrongServer, RedisCacheStore.IsWrongServer(exception));
        Assert.Equal(slotMigrating, RedisCacheStore.IsSlotMigrating(exception));
    }
}
