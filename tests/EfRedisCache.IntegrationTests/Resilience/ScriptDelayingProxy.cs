using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A loopback TCP proxy in front of a Redis server that, while <see cref="Armed"/>, holds every chunk a client sends
/// that carries a script (<c>EVAL</c>/<c>EVALSHA</c>) for <see cref="Delay"/> before passing it on — and with it
/// whatever the client sends after it, so order is kept. Plain commands pass at once: a Redis that is slow only for
/// scripts, so a lookup script can time out on the client and still run on the server afterwards.
/// </summary>
internal sealed class ScriptDelayingProxy : IDisposable
{
    private static readonly byte[] Eval = Encoding.ASCII.GetBytes("EVAL");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private int _delayedChunks;

    public ScriptDelayingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public volatile bool Armed;

    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>How many chunks carrying a script were held so far.</summary>
    public int DelayedChunks => Volatile.Read(ref _delayedChunks);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                    _clients.Add(server);
                }

                _ = PumpAsync(client.GetStream(), server.GetStream(), holdScripts: true);
                _ = PumpAsync(server.GetStream(), client.GetStream(), holdScripts: false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool holdScripts)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (holdScripts && Armed && buffer.AsSpan(0, read).IndexOf(Eval) >= 0)
                {
                    Interlocked.Increment(ref _delayedChunks);
                    await Task.Delay(Delay, _stop.Token);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // A side closed, or the proxy stopped.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
