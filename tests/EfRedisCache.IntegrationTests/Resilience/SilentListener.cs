using System.Net;
using System.Net.Sockets;

namespace EfRedisCache.IntegrationTests.Resilience;

/// <summary>
/// A port that accepts connections and never answers on them: what a Redis behind a stalled proxy or a hung host looks
/// like to a client. A connect to it (its handshake) hangs until the client's own connect timeout, unlike a closed port,
/// which refuses at once.
/// </summary>
internal sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();

    /// <param name="port">The loopback port to listen on; 0 for a free one.</param>
    public SilentListener(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far: each one a client that started a handshake here.</summary>
    public int Accepted
    {
        get
        {
            lock (_accepted)
            {
                return _accepted.Count;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // Kept open and never read: the client's handshake waits for a reply that does not come.
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
    }
}
