using System;
using System.Collections.Generic;
using System.Net;
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
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[]? _response;
    private readonly Task _acceptLoop;

    private LoopbackHttpStub(byte[]? response)
    {
        _response = response;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Counts accepted connections, so a test can prove the probe reached the server.</summary>
    public int Accepted { get; private set; }

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
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        foreach (var client in _held)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Accepted++;
            if (_response is null)
            {
                _held.Add(client);
                continue;
            }

            using (client)
            {
                var stream = client.GetStream();
                await ReadHeadersAsync(stream);
                await stream.WriteAsync(_response, _stop.Token);
            }
        }
    }

    // Like a real server, bytes that cannot start a request line (a TLS ClientHello starts with 0x16) are answered at
    // once rather than waited on for a blank line that will never come.
    private async Task ReadHeadersAsync(NetworkStream stream)
    {
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0 || (received.Length == 0 && !char.IsAsciiLetterUpper((char)buffer[0])))
            {
                return;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}
