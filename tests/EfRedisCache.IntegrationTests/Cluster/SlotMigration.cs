using StackExchange.Redis;

namespace EfRedisCache.IntegrationTests.Cluster;

/// <summary>
/// Moves one hash slot from one primary to another the way <c>redis-cli --cluster reshard</c> does, over raw
/// commands sent to each node by an admin multiplexer: <c>CLUSTER SETSLOT … IMPORTING</c> on the target, then
/// <c>MIGRATING</c> on the source (in that order, so a client sent on by the source's ASK is never refused by a
/// target not yet importing), the slot's keys moved in batches with <c>CLUSTER GETKEYSINSLOT</c> and
/// <c>MIGRATE … KEYS</c>, and at last <c>CLUSTER SETSLOT … NODE</c> on the target, the source and the other
/// primaries. Between the steps the slot is half-migrated: the tests run the application against that state.
/// </summary>
internal sealed class SlotMigration
{
    private readonly ConnectionMultiplexer _admin;
    private readonly IReadOnlyList<int> _primaries;
    private readonly string _targetId;

    private SlotMigration(ConnectionMultiplexer admin, IReadOnlyList<int> primaries, int slot, int source, int target, string targetId)
    {
        _admin = admin;
        _primaries = primaries;
        Slot = slot;
        Source = source;
        Target = target;
        _targetId = targetId;
    }

    public int Slot { get; }

    public int Source { get; }

    public int Target { get; }

    /// <summary>How many keys <see cref="MoveAsync"/> has moved so far.</summary>
    public int Moved { get; private set; }

    public static async Task<SlotMigration> BeginAsync(ConnectionMultiplexer admin, IReadOnlyList<int> primaries, int slot, int source, int target)
    {
        var sourceId = await MyIdAsync(admin, source);
        var targetId = await MyIdAsync(admin, target);
        await ExpectOkAsync(admin, target, "CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
        await ExpectOkAsync(admin, source, "CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
        return new SlotMigration(admin, primaries, slot, source, target, targetId);
    }

    /// <summary>Up to <paramref name="count"/> of the keys still on the source, in the order Redis lists them.</summary>
    public async Task<List<string>> KeysLeftAsync(int count = 10_000)
    {
        var reply = await Server(Source).ExecuteAsync("CLUSTER", "GETKEYSINSLOT", Slot, count);
        return ((string[])reply!).ToList();
    }

    /// <summary>Moves <paramref name="keys"/> from the source to the target in one <c>MIGRATE</c>.</summary>
    public async Task MoveAsync(IReadOnlyCollection<string> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        object[] args = ["127.0.0.1", Target, "", 0, 5000, "KEYS", .. keys];
        var reply = (string?)await Server(Source).ExecuteAsync("MIGRATE", args);

        // NOKEY: every key named expired or was deleted since it was listed; nothing left to move then.
        Assert.True(reply is "OK" or "NOKEY", $"MIGRATE of {keys.Count} keys from port {Source} to port {Target} answered {reply}");
        Moved += keys.Count;
    }

    /// <summary>Moves the next batch of at most <paramref name="batch"/> keys; returns how many were moved (0: none was left).</summary>
    public async Task<int> MoveBatchAsync(int batch)
    {
        var keys = await KeysLeftAsync(batch);
        await MoveAsync(keys);
        return keys.Count;
    }

    /// <summary>
    /// Moves every key left in batches of <paramref name="batch"/>, waiting <paramref name="pause"/> between
    /// batches, then hands the slot to the target on every primary.
    /// </summary>
    public async Task FinishAsync(int batch = 3, TimeSpan pause = default)
    {
        // Bounded: a write ASK-redirected to the target lands there, so the source never gains keys of the slot;
        // the loop ends once it listed none.
        for (var round = 0; round < 10_000 && await MoveBatchAsync(batch) > 0; round++)
        {
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }

        Assert.Empty(await KeysLeftAsync());

        // The target first, as redis-cli does: it bumps its config epoch, so gossip cannot hand the slot back.
        await ExpectOkAsync(_admin, Target, "CLUSTER", "SETSLOT", Slot, "NODE", _targetId);
        await ExpectOkAsync(_admin, Source, "CLUSTER", "SETSLOT", Slot, "NODE", _targetId);
        foreach (var port in _primaries.Where(p => p != Source && p != Target))
        {
            await ExpectOkAsync(_admin, port, "CLUSTER", "SETSLOT", Slot, "NODE", _targetId);
        }
    }

    private IServer Server(int port) => _admin.GetServer("127.0.0.1", port);

    private static async Task<string> MyIdAsync(ConnectionMultiplexer admin, int port)
        => (string?)await admin.GetServer("127.0.0.1", port).ExecuteAsync("CLUSTER", "MYID")
           ?? throw new InvalidOperationException($"CLUSTER MYID on port {port} answered nothing");

    private static async Task ExpectOkAsync(ConnectionMultiplexer admin, int port, string command, params object[] args)
    {
        var reply = (string?)await admin.GetServer("127.0.0.1", port).ExecuteAsync(command, args);
        Assert.True(reply == "OK", $"{command} {string.Join(' ', args)} on port {port} answered {reply}");
    }
}
