using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// A raw TCP server on 127.0.0.1: either answers every request with one fixed HTTP response (also a TLS handshake,
/// as a plain HTTP server does), or accepts connections and never answers (a hung server).
/// </summary>
internal sealed class LoopbackHttpStub : IAsyncDisposable
{
    private readonly List<TcpClient> _held = [];
    private readonly byte[]? _response;
    private readonly LoopbackListener _listener;

    private LoopbackHttpStub(byte[]? response)
    {
        _response = response;
        _listener = new LoopbackListener(HandleAsync);
    }

    public int Port => _listener.Port;

    /// <summary>Counts accepted connections, so a test can prove the probe reached the server.</summary>
    public int Accepted => _listener.Accepted;

    /// <summary>Answers each request with <paramref name="statusLine"/>, this Content-Type and body, then closes.</summary>
    public static LoopbackHttpStub Answering(string statusLine, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetByteCount(body);
        var response = $"HTTP/1.1 {statusLine}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n{body}";
        return new LoopbackHttpStub(Encoding.UTF8.GetBytes(response));
    }

    /// <summary>Accepts connections, reads nothing, answers nothing, and keeps them open until disposed.</summary>
    public static LoopbackHttpStub Silent() => new(null);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        foreach (var client in _held)
        {
            client.Dispose();
        }
    }

    private async Task HandleAsync(TcpClient client, CancellationToken cancellationToken)
    {
        if (_response is null)
        {
            _held.Add(client);
            return;
        }

        using (client)
        {
            var stream = client.GetStream();
            await ReadHeadersAsync(stream, cancellationToken);
            await stream.WriteAsync(_response, cancellationToken);
        }
    }

    // Like a real server, bytes that cannot start a request line (a TLS ClientHello starts with 0x16) are answered at
    // once rather than waited on for a blank line that will never come.
    private static async Task ReadHeadersAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0 || (received.Length == 0 && !char.IsAsciiLetterUpper((char)buffer[0])))
            {
                return;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}
