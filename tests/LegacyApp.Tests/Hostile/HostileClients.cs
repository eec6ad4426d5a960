using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace LegacyApp.Tests.Hostile;

/// <summary>The attacks of issue 10, each over raw loopback sockets and bounded in time.</summary>
internal static class HostileClients
{
    /// <summary>Connects a socket to the target, or returns null when the connect fails within 2 s.</summary>
    public static async Task<Socket?> TryConnectAsync(int port, int receiveBufferSize = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferSize > 0)
        {
            socket.ReceiveBufferSize = receiveBufferSize;
        }

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            return socket;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Item 1: <c>GET &lt;1 MB of '&lt;'&gt; HTTP/1.1</c> (no leading slash) from a client that never reads the
    /// reply, closed after <paramref name="hold"/>.
    /// </summary>
    public static async Task SendLongTargetWithoutReadingAsync(int port, TimeSpan hold)
    {
        using var socket = await TryConnectAsync(port, receiveBufferSize: 4096);
        if (socket is null)
        {
            return;
        }

        var request = "GET " + new string('<', 1024 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try
        {
            using var deadline = new CancellationTokenSource(hold);
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, deadline.Token);
            await Task.Delay(hold, CancellationToken.None);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            // Refused or reset mid-send: the server did not take the whole target, which is fine.
        }
    }

    /// <summary>
    /// Item 3: a request whose header is sent one byte every <paramref name="interval"/>; returns how long the
    /// server kept the connection open, capped at <paramref name="limit"/> (then it was still open).
    /// </summary>
    public static async Task<TimeSpan> SlowHeaderOpenForAsync(int port, TimeSpan interval, TimeSpan limit)
    {
        using var socket = await TryConnectAsync(port) ?? throw new InvalidOperationException("connect failed");
        var clock = Stopwatch.StartNew();
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "), SocketFlags.None);
        var closed = WaitForCloseAsync(socket, limit);
        while (!closed.IsCompleted && clock.Elapsed < limit)
        {
            try
            {
                await socket.SendAsync("a"u8.ToArray(), SocketFlags.None);
            }
            catch (SocketException)
            {
                break;
            }

            await Task.WhenAny(closed, Task.Delay(interval));
        }

        await Task.WhenAny(closed, Task.Delay(TimeSpan.FromMilliseconds(200)));
        return closed.IsCompleted ? await closed : limit;
    }

    /// <summary>
    /// Item 3: one header line streamed in 8 KB writes up to <paramref name="total"/> bytes; returns how many bytes
    /// went out before the server refused or closed the connection (<paramref name="total"/> when it never did)
    /// and what it answered.
    /// </summary>
    public static async Task<(long Sent, string Answer)> StreamHeaderLineAsync(int port, long total)
    {
        using var socket = await TryConnectAsync(port) ?? throw new InvalidOperationException("connect failed");
        socket.SendBufferSize = 8192;
        socket.NoDelay = true;
        // The request line alone first: the managed HttpListener empties its 32 KB-limited buffer only when a read
        // ends exactly where a line was consumed, so a header line that starts at a read boundary is never limited.
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz/ping HTTP/1.1\r\n"), SocketFlags.None);
        await Task.Delay(50);
        await socket.SendAsync(Encoding.ASCII.GetBytes("X-Big: "), SocketFlags.None);
        var answer = new StringBuilder();
        var reading = ReadAllAsync(socket, answer, TimeSpan.FromSeconds(60));
        var chunk = Encoding.ASCII.GetBytes(new string('a', 8192));
        long sent = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (sent < total && !reading.IsCompleted)
            {
                await socket.SendAsync(chunk, SocketFlags.None, deadline.Token);
                sent += chunk.Length;

                // Paced, so that each write reaches the server as a read of its own (as a slow client's would) and
                // a refusal is seen before the socket buffers fill with megabytes the server never read.
                await Task.Delay(1, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            // Reset by the server: it refused the line.
        }

        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromMilliseconds(500)));
        lock (answer)
        {
            return (sent, answer.ToString());
        }
    }

    /// <summary>Opens up to <paramref name="count"/> connections, each holding a partial request line; failed connects are skipped.</summary>
    public static async Task<List<Socket>> HoldPartialRequestsAsync(int port, int count)
    {
        var held = new List<Socket>(count);
        var partial = Encoding.ASCII.GetBytes("GET /healthz/ping HTTP/1.1\r\n");
        for (var i = 0; i < count; i++)
        {
            var socket = await TryConnectAsync(port);
            if (socket is null)
            {
                continue;
            }

            try
            {
                await socket.SendAsync(partial, SocketFlags.None);
                held.Add(socket);
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        return held;
    }

    private static async Task<TimeSpan> WaitForCloseAsync(Socket socket, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(limit + TimeSpan.FromSeconds(1));
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
        }

        return clock.Elapsed;
    }

    private static async Task ReadAllAsync(Socket socket, StringBuilder into, TimeSpan limit)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                lock (into)
                {
                    into.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
        }
    }
}
