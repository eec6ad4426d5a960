using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// What arrives outside a parsed response: bytes that must not come (a HEAD body, a second response), everything
/// until the server closes or falls silent, and the first bytes of an answer that is slow to come.
/// </summary>
internal sealed partial class RawHttpConnection
{
    /// <summary>
    /// Returns every byte that arrives within <paramref name="window"/> beyond the responses read so far (a HEAD
    /// body, a chunk terminator, a second response). Stops early when the server closes the connection.
    /// </summary>
    public async Task<byte[]> ReadUnexpectedBytesAsync(TimeSpan window)
    {
        var unexpected = TakeBuffered();
        using var deadline = new CancellationTokenSource(window);
        try
        {
            // A cancelled receive leaves the socket usable and takes no bytes, so the next request can follow.
            int read;
            while ((read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                unexpected.Write(_buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        return unexpected.ToArray();
    }

    /// <summary>Reads until the server closes the connection and returns what came before the close.</summary>
    /// <returns>The bytes that arrived before EOF or reset, and whether it ended with a reset.</returns>
    /// <exception cref="TimeoutException">The connection was still open when the deadline passed.</exception>
    public async Task<(byte[] Bytes, bool Reset)> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var received = TakeBuffered();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    return (received.ToArray(), false);
                }

                received.Write(_buffer, 0, read);
            }
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
            return (received.ToArray(), true);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server kept the connection open for {timeout.TotalSeconds:0.0} s; {received.Length} bytes arrived.");
        }
    }

    /// <summary>
    /// Reads until the server closes the connection or sends nothing for <paramref name="quiet"/>, and returns every
    /// byte beyond the responses read so far: the whole of what the server said, unparsed, for a test that must see a
    /// second response the parser would take for a body.
    /// </summary>
    /// <param name="quiet">How long a silence ends the read.</param>
    public async Task<byte[]> ReadUntilQuietAsync(TimeSpan quiet)
    {
        var received = TakeBuffered();
        var total = Stopwatch.StartNew();
        try
        {
            // Bounded, so that a server trickling bytes forever fails the test instead of hanging it.
            while (total.Elapsed < ReadTimeout * 4)
            {
                using var deadline = new CancellationTokenSource(quiet);
                var read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(_buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        return received.ToArray();
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the first bytes of a response that is slow to come (a timeout the server enforces).</summary>
    /// <returns>False when nothing arrived in time; the bytes that did arrive stay buffered for the next read.</returns>
    /// <exception cref="EndOfStreamException">The server closed the connection without sending anything.</exception>
    public async Task<bool> WaitForBytesAsync(TimeSpan timeout)
    {
        if (_start < _end)
        {
            return true;
        }

        try
        {
            await FillAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    // The bytes read from the socket but not yet parsed: they belong to what comes next.
    private MemoryStream TakeBuffered()
    {
        var buffered = new MemoryStream();
        buffered.Write(_buffer, _start, _end - _start);
        _start = _end = 0;
        return buffered;
    }
}
