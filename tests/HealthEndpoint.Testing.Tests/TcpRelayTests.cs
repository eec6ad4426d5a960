using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>The relay's overlap count: held connections overlap, a close followed by an open does not.</summary>
[TestFixture]
public sealed class TcpRelayTests
{
    [Test]
    public async Task Counts_TwoConnectionsHeldTogether_OverlapBeyondTheCloseLag()
    {
        using var server = StartServer();
        await using var relay = TcpRelay.Start(((IPEndPoint)server.LocalEndpoint).Port);
        relay.ResetCounts();

        using var first = await ConnectAsync(relay.Port);
        using var second = await ConnectAsync(relay.Port);
        await Poll.UntilAsync(() => Task.FromResult(relay.Counts.Open == 2), TimeSpan.FromSeconds(5), "both connections to be relayed");
        await Task.Delay(TcpRelay.CloseLag * 3);

        Assert.That(relay.Counts.MaxOverlapping, Is.EqualTo(2));
    }

    [Test]
    public async Task Counts_CloseThenOpenAtOnce_DoNotOverlap()
    {
        using var server = StartServer();
        await using var relay = TcpRelay.Start(((IPEndPoint)server.LocalEndpoint).Port);
        relay.ResetCounts();

        for (var i = 0; i < 20; i++)
        {
            using var connection = await ConnectAsync(relay.Port);
            await Poll.UntilAsync(() => Task.FromResult(relay.Counts.Accepted == i + 1), TimeSpan.FromSeconds(5), "the connection to be relayed");
        }

        await Poll.UntilAsync(() => Task.FromResult(relay.Counts.Open == 0), TimeSpan.FromSeconds(5), "every connection to close");
        Assert.That(relay.Counts.MaxOverlapping, Is.LessThanOrEqualTo(1));
    }

    private static TcpListener StartServer()
    {
        var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        _ = AcceptForeverAsync(server);
        return server;
    }

    private static async Task AcceptForeverAsync(TcpListener server)
    {
        try
        {
            while (true)
            {
                // Held open, never answered, until the relay closes its side.
                var client = await server.AcceptSocketAsync();
                _ = DrainAsync(client);
            }
        }
        catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
        {
        }
    }

    private static async Task DrainAsync(Socket client)
    {
        using (client)
        {
            var buffer = new byte[256];
            try
            {
                while (await client.ReceiveAsync(buffer, SocketFlags.None) > 0)
                {
                }
            }
            catch (SocketException)
            {
            }
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }
}
