using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// An HTTP/1.1 client on a bare socket: it sends exactly the bytes a test gives it and parses exactly what comes
/// back, so that stray body bytes, a missing chunk terminator or a closed connection cannot hide behind an
/// HTTP client library that tolerates them.
/// </summary>
/// <remarks>
/// Every read has a deadline (<see cref="ReadTimeout"/>), so a hung server fails a test instead of hanging it. This
/// file sends and parses responses; RawHttpConnection.Unparsed.cs reads what arrives outside them.
/// </remarks>
internal sealed partial class RawHttpConnection : IDisposable
{
    /// <summary>How long any single read may wait for bytes the protocol says are coming.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a test listens for bytes that must not come (a HEAD body, a second response).</summary>
    public static readonly TimeSpan SilenceWindow = TimeSpan.FromMilliseconds(300);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>Connects to 127.0.0.1 on <paramref name="port"/>.</summary>
    /// <exception cref="SocketException">The connection was refused.</exception>
    public static async Task<RawHttpConnection> OpenAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = new CancellationTokenSource(ReadTimeout);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A request line, Host header, extra header lines and an empty line, for a request with no body.</summary>
    public static string Request(string method, string target, int port, params string[] headers)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        return text.Append("\r\n").ToString();
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var deadline = new CancellationTokenSource(ReadTimeout);
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, deadline.Token);
            bytes = bytes.Slice(sent);
        }
    }

    /// <summary>Reads one whole response: status line, headers, then the body as its framing says.</summary>
    /// <param name="head">True when the request was HEAD, so no body follows whatever the headers say.</param>
    /// <exception cref="EndOfStreamException">The server closed the connection before the response was complete.</exception>
    /// <exception cref="SocketException">The server reset the connection.</exception>
    /// <exception cref="TimeoutException">The server stopped sending before the response was complete.</exception>
    public async Task<RawHttpResponse> ReadResponseAsync(bool head = false)
    {
        var statusLine = await ReadLineAsync();
        var headers = new List<KeyValuePair<string, string>>();
        for (var line = await ReadLineAsync(); line.Length > 0; line = await ReadLineAsync())
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Not a header line: '{line}'.");
            }

            headers.Add(new KeyValuePair<string, string>(line[..colon], line[(colon + 1)..].Trim()));
        }

        var response = new RawHttpResponse(statusLine, headers, [], chunked: false);
        var chunked = response.Values("Transfer-Encoding").Count > 0;
        var length = response.Values("Content-Length");
        var bodyless = head || response.StatusCode < 200 || response.StatusCode is 204 or 304;
        byte[] body = bodyless ? []
            : chunked ? await ReadChunkedBodyAsync()
            : length.Count > 0 ? await ReadExactlyAsync(int.Parse(length[0], NumberStyles.None, CultureInfo.InvariantCulture))
            : await ReadToEndAsync();
        return new RawHttpResponse(statusLine, headers, body, chunked && !bodyless);
    }

    /// <summary>Resets the connection (RST, no FIN), as a client that vanishes does.</summary>
    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]> ReadChunkedBodyAsync()
    {
        var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync();
            var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                // Trailers, if any, end with an empty line.
                while ((await ReadLineAsync()).Length > 0)
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactlyAsync(size));
            if ((await ReadLineAsync()).Length != 0)
            {
                throw new FormatException("A chunk was not followed by CRLF.");
            }
        }
    }

    private async Task<string> ReadLineAsync()
    {
        var line = new MemoryStream();
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            line.Write(_buffer, _start, stop - _start);
            if (newline >= 0)
            {
                _start = newline + 1;
                var bytes = line.ToArray();
                var length = bytes.Length > 0 && bytes[^1] == '\r' ? bytes.Length - 1 : bytes.Length;
                return Encoding.Latin1.GetString(bytes, 0, length);
            }

            _start = _end;
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            var take = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, take);
            _start += take;
            copied += take;
        }

        return result;
    }

    private async Task<byte[]> ReadToEndAsync()
    {
        var (bytes, reset) = await ReadUntilClosedAsync(ReadTimeout);
        return reset ? throw new SocketException((int)SocketError.ConnectionReset) : bytes;
    }

    private Task FillAsync() => FillAsync(ReadTimeout);

    private async Task FillAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        int read;
        try
        {
            read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No bytes arrived for {timeout.TotalSeconds:0.0} s in the middle of a response.");
        }

        if (read == 0)
        {
            throw new EndOfStreamException("The server closed the connection in the middle of a response.");
        }

        _start = 0;
        _end = read;
    }
}
