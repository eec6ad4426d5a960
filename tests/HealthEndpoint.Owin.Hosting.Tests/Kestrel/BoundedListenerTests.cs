using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.Kestrel.Connections;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthEndpoint.Owin.Hosting.Tests.Kestrel;

/// <summary>
/// The Kestrel host's accept bound over Kestrel's real socket transport, with this test in Kestrel's place: every
/// slot held means the next accept waits, with clients left in the kernel's backlog, until a connection is disposed.
/// Kestrel's own cap rejects only after the accept, on the thread pool, which a flood outruns (KestrelOpenFileLimitTests).
/// </summary>
[TestFixture]
public sealed class BoundedListenerTests
{
    private const long Cap = 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task AcceptAsync_EverySlotHeld_WaitsUntilAConnectionIsDisposed()
    {
        var factory = new BoundedListenerFactory(SocketTransport(), Cap);
        await using var listener = await factory.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var clients = await Clients.ConnectAsync(listener.EndPoint, factory.MaxOpen + 3);
        await using var accepted = await Accepted.TakeAsync(listener, factory.MaxOpen);

        var next = listener.AcceptAsync().AsTask();
        var tookOneWhileFull = await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(500))) == next;
        await accepted.DisposeFirstAsync();
        var afterDispose = accepted.Add(await next.WaitAsync(Deadline));

        Assert.That(factory.MaxOpen, Is.EqualTo(Cap + BoundedListenerFactory.RejectionHeadroom));
        Assert.That(tookOneWhileFull, Is.False, "an accept while every slot is held");
        Assert.That(afterDispose, Is.Not.Null, "the accept after a slot was freed");
    }

    [Test]
    public async Task AcceptAsync_SocketTransportAlone_TakesEveryWaitingClient()
    {
        // Control: the same clients are there to be accepted; without the bound, nothing holds them back.
        var sockets = SocketTransport();
        var bound = new BoundedListenerFactory(sockets, Cap).MaxOpen;
        await using var listener = await sockets.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var clients = await Clients.ConnectAsync(listener.EndPoint, bound + 3);

        await using var accepted = await Accepted.TakeAsync(listener, bound + 3);

        Assert.That(accepted.Count, Is.EqualTo(bound + 3));
    }

    [Test]
    public async Task UnbindAsync_WhileAnAcceptWaitsForASlot_AcceptReturnsNull()
    {
        var factory = new BoundedListenerFactory(SocketTransport(), Cap);
        await using var listener = await factory.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var clients = await Clients.ConnectAsync(listener.EndPoint, factory.MaxOpen + 1);
        await using var accepted = await Accepted.TakeAsync(listener, factory.MaxOpen);

        var waiting = listener.AcceptAsync().AsTask();
        await listener.UnbindAsync();

        // Kestrel's accept loop ends on null: a stop must not hang on a full server.
        Assert.That(await waiting.WaitAsync(Deadline), Is.Null);
    }

    private static SocketTransportFactory SocketTransport() =>
        new(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);

    /// <summary>Client sockets connected to the listener; the kernel completes the handshakes before any accept.</summary>
    private sealed class Clients : IDisposable
    {
        private readonly List<Socket> _sockets = [];

        public static async Task<Clients> ConnectAsync(EndPoint endPoint, int count)
        {
            var clients = new Clients();
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients._sockets.Add(socket);
                await socket.ConnectAsync(endPoint);
            }

            return clients;
        }

        public void Dispose() => _sockets.ForEach(socket => socket.Dispose());
    }

    /// <summary>The connections a test accepted, in Kestrel's place; disposed (their slots freed) at the end.</summary>
    private sealed class Accepted : IAsyncDisposable
    {
        private readonly List<ConnectionContext> _connections = [];

        public int Count => _connections.Count;

        /// <summary>Accepts <paramref name="count"/> connections, each within the deadline.</summary>
        public static async Task<Accepted> TakeAsync(IConnectionListener listener, int count)
        {
            var accepted = new Accepted();
            for (var i = 0; i < count; i++)
            {
                accepted.Add(await listener.AcceptAsync().AsTask().WaitAsync(Deadline));
            }

            return accepted;
        }

        public ConnectionContext? Add(ConnectionContext? connection)
        {
            if (connection is not null)
            {
                _connections.Add(connection);
            }

            return connection;
        }

        public async Task DisposeFirstAsync()
        {
            await _connections[0].DisposeAsync();
            _connections.RemoveAt(0);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var connection in _connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
