using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A loopback TCP relay: listens on 127.0.0.1 on a free port and forwards each accepted connection to
/// 127.0.0.1:<c>targetPort</c>, counting connections, so a test can see from outside the app how many
/// connections it opens to a server and how many at once.
/// </summary>
/// <remarks>
/// Bounded: at most <c>maxConnections</c> connections are relayed at once (more are closed at once and counted
/// as rejected), each with one fixed buffer per direction. A connection is open from its accept until both of
/// its sockets are closed; when either side closes or fails, the relay closes the other. Dispose stops the
/// listener and closes every connection, including upstream connects still pending (a frozen server's full
/// backlog never answers them).
/// </remarks>
public sealed class TcpRelay : IAsyncDisposable
{
    /// <summary>How long a connection may seem to outlive its client's close: the relay's own reaction time.</summary>
    public static readonly TimeSpan CloseLag = TimeSpan.FromMilliseconds(100);

    private const int BufferSize = 16 * 1024;
    private const int ListenBacklog = 512;
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly int _maxConnections;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private readonly HashSet<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _open;
    private int _totalAccepted;
    private int _rejected;
    private int _generation;
    private int _accepted;
    private int _openInGeneration;
    private int _maxOpenInGeneration;
    private List<ConnectionSpan> _spans = [];

    private TcpRelay(Socket listener, int targetPort, int maxConnections)
    {
        _listener = listener;
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _maxConnections = maxConnections;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The loopback port the relay listens on.</summary>
    public int Port { get; }

    /// <summary>Every connection accepted since the relay started (rejected ones included).</summary>
    public int TotalAccepted => Volatile.Read(ref _totalAccepted);

    /// <summary>Connections closed at once because <c>maxConnections</c> were already open.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Connections open now, whenever they were accepted.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>The counts for connections accepted since <see cref="ResetCounts"/> (or the start).</summary>
    public TcpRelayCounts Counts
    {
        get
        {
            lock (_gate)
            {
                return new TcpRelayCounts(_accepted, _openInGeneration, _maxOpenInGeneration, ConnectionSpan.MaxOverlapping(_spans, CloseLag));
            }
        }
    }

    /// <summary>Starts relaying 127.0.0.1:<see cref="Port"/> to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    /// <param name="targetPort">The loopback port to forward to.</param>
    /// <param name="maxConnections">How many connections may be relayed at once.</param>
    public static TcpRelay Start(int targetPort, int maxConnections = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetPort);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConnections);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(ListenBacklog);
            return new TcpRelay(listener, targetPort, maxConnections);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>From now on, <see cref="Counts"/> covers only connections accepted after this call.</summary>
    public void ResetCounts()
    {
        lock (_gate)
        {
            _generation++;
            _accepted = 0;
            _openInGeneration = 0;
            _maxOpenInGeneration = 0;
            _spans = [];
        }
    }

    /// <summary>Stops accepting, closes every relayed connection and waits (bounded) for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Dispose();
        Task[] connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll([_acceptLoop, .. connections]).WaitAsync(DisposeTimeout);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _totalAccepted);
            int generation;
            var span = new ConnectionSpan(Stopwatch.GetTimestamp());
            lock (_gate)
            {
                if (_open >= _maxConnections)
                {
                    _rejected++;
                    client.Dispose();
                    continue;
                }

                _open++;
                generation = _generation;
                _accepted++;
                _openInGeneration++;
                _maxOpenInGeneration = Math.Max(_maxOpenInGeneration, _openInGeneration);
                _spans.Add(span);
            }

            var connection = RelayAsync(client, generation, span);
            lock (_gate)
            {
                if (!connection.IsCompleted)
                {
                    _connections.Add(connection);
                }
            }

            _ = connection.ContinueWith(
                completed =>
                {
                    lock (_gate)
                    {
                        _connections.Remove(completed);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task RelayAsync(Socket client, int generation, ConnectionSpan span)
    {
        await Task.Yield();
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var closed = false;
        try
        {
            client.NoDelay = true;
            upstream.NoDelay = true;

            // The client side is read at once, even while the upstream connect is pending, so that a client that
            // gives up on a server that never answers is noticed and the pending connect is abandoned.
            var connect = upstream.ConnectAsync(_target, end.Token).AsTask();
            var toServer = PumpAsync(client, upstream, connect, end);
            var toClient = PumpAsync(upstream, client, connect, end);

            // The connection counts as closed as soon as either side has closed it, not once the relay has finished
            // tearing it down, so that a client's next connection never appears to overlap its last one.
            await Task.WhenAny(toServer, toClient);
            closed = MarkClosed(generation, span);
            await Task.WhenAll(toServer, toClient);
        }
        finally
        {
            client.Dispose();
            if (!closed)
            {
                MarkClosed(generation, span);
            }
        }
    }

    private bool MarkClosed(int generation, ConnectionSpan span)
    {
        lock (_gate)
        {
            span.Closed = Stopwatch.GetTimestamp();
            _open--;
            if (generation == _generation)
            {
                _openInGeneration--;
            }
        }

        return true;
    }

    private static async Task PumpAsync(Socket from, Socket to, Task connect, CancellationTokenSource end)
    {
        var buffer = new byte[BufferSize];
        try
        {
            if (!from.Connected)
            {
                await connect;
            }

            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, end.Token);
                if (read == 0)
                {
                    return;
                }

                await connect;
                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, end.Token);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either side closed, failed or the relay stops: the connection ends.
        }
        finally
        {
            // Whichever direction ends first ends the connection, as a real server or client would see it.
            await end.CancelAsync();
        }
    }
}
