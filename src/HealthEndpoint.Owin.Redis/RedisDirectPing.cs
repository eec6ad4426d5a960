using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Redis;

/// <summary>
/// A <c>PING</c> over a short-lived plain TCP socket, for the moments when the multiplexer is not connected: after
/// a Redis restart StackExchange.Redis reconnects on its heartbeat, up to seconds later (docs/performance.md), while
/// Redis itself answers at once.
/// </summary>
/// <remarks>
/// Only for a configuration the socket can speak for: one endpoint, no TLS. It authenticates with the configured
/// password; the runner's single flight means at most one such socket per dependency at a time, and none while the
/// multiplexer is connected.
/// </remarks>
internal sealed class RedisDirectPing
{
    private static readonly byte[] Ping = Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n");
    private readonly EndPoint _endPoint;
    private readonly byte[]? _auth;

    private RedisDirectPing(EndPoint endPoint, string? password)
    {
        _endPoint = endPoint;
        _auth = string.IsNullOrEmpty(password) ? null : Encoding.UTF8.GetBytes(
            $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(password)}\r\n{password}\r\n");
    }

    /// <summary>A direct ping for <paramref name="configuration"/>, or null when a plain socket cannot speak for it.</summary>
    public static RedisDirectPing? For(ConfigurationOptions configuration) =>
        configuration.EndPoints.Count == 1 && !configuration.Ssl && configuration.EndPoints[0] is IPEndPoint or DnsEndPoint
            ? new RedisDirectPing(configuration.EndPoints[0], configuration.Password)
            : null;

    /// <summary>Completes when Redis answered <c>+PONG</c>; throws otherwise, or when cancelled.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var registration = cancellationToken.Register(static state => ((Socket)state!).Dispose(), socket);
        await socket.ConnectAsync(_endPoint).ConfigureAwait(false);
        if (_auth is not null)
        {
            await SendAsync(socket, _auth).ConfigureAwait(false);
            await ExpectAsync(socket, "+OK").ConfigureAwait(false);
        }

        await SendAsync(socket, Ping).ConfigureAwait(false);
        await ExpectAsync(socket, "+PONG").ConfigureAwait(false);
    }

    private static Task<int> SendAsync(Socket socket, byte[] bytes) =>
        socket.SendAsync(new ArraySegment<byte>(bytes), SocketFlags.None);

    // Replies are one short line; anything else (an error, a closed socket) is a failed check.
    private static async Task ExpectAsync(Socket socket, string expected)
    {
        var buffer = new byte[64];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), SocketFlags.None).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (length >= 2 && buffer[length - 2] == '\r' && buffer[length - 1] == '\n')
            {
                if (Encoding.ASCII.GetString(buffer, 0, length - 2) == expected)
                {
                    return;
                }

                break;
            }
        }

        // The reply is not echoed: it may be an error naming the configuration.
        throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis did not answer the direct PING.");
    }
}
