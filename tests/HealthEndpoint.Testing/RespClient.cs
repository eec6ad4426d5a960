using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A minimal RESP client for the fixture's own probes (PING, DBSIZE): one short-lived socket per call, so the
/// fixture never depends on StackExchange.Redis 1.2.6 and its async quirks.
/// </summary>
internal static class RespClient
{
    /// <summary>
    /// Connects to 127.0.0.1:<paramref name="port"/>, authenticates when <paramref name="password"/> is set, sends
    /// one command and returns its single-line reply (e.g. <c>+PONG</c>, <c>:3</c>, <c>-NOAUTH ...</c>).
    /// </summary>
    /// <exception cref="OperationCanceledException">No reply before <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">AUTH was refused.</exception>
    public static async Task<string> ExecuteAsync(int port, string? password, IReadOnlyList<string> command, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        var stream = client.GetStream();
        if (password is not null)
        {
            var authReply = await SendAsync(stream, ["AUTH", password], deadline.Token);
            if (authReply != "+OK")
            {
                throw new InvalidOperationException($"Redis refused AUTH: {authReply}");
            }
        }

        return await SendAsync(stream, command, deadline.Token);
    }

    private static async Task<string> SendAsync(NetworkStream stream, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var request = new StringBuilder().Append('*').Append(command.Count).Append("\r\n");
        foreach (var part in command)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cancellationToken);
        return await ReadLineAsync(stream, cancellationToken);
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        var buffer = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(buffer, cancellationToken) == 0)
            {
                throw new InvalidOperationException("Redis closed the connection before replying.");
            }

            if (buffer[0] == '\n' && line.Count > 0 && line[^1] == '\r')
            {
                return Encoding.UTF8.GetString(line.ToArray(), 0, line.Count - 1);
            }

            line.Add(buffer[0]);
        }
    }
}
