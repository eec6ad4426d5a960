using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace LegacyApp.Tests.Hostile;

/// <summary>Requests over a raw loopback socket, so that nothing (a pool, a retry) stands between the test and the host.</summary>
internal static partial class RawHttp
{
    /// <summary>One GET on a new connection; status 0 when there was no complete status line within <paramref name="timeout"/>.</summary>
    public static async Task<(int Status, TimeSpan Elapsed, string Response)> GetAsync(int port, string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var response = await ExchangeAsync(port, $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n", timeout);
        return (Status(response), clock.Elapsed, response);
    }

    /// <summary>
    /// Sends <paramref name="request"/> on a new connection and reads until the server closes it or the time is up.
    /// It reads while it sends, as a real client does: a server may answer (414, 431) and close before a long request
    /// is all sent, and the send then fails with a reset while the answer is already there to read.
    /// </summary>
    public static async Task<string> ExchangeAsync(int port, string request, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var received = new StringBuilder();
        Task sending = Task.CompletedTask;
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            sending = socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, deadline.Token).AsTask();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            // Refused, reset or timed out: what was received so far is the answer.
        }

        try
        {
            await sending;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server closed before the whole request was sent: its answer, if any, was read above.
        }

        return received.ToString();
    }

    /// <summary>The status of the first response, 0 when there is none.</summary>
    public static int Status(string response)
    {
        var match = StatusLine().Match(response);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>How many responses (status lines) the text holds.</summary>
    public static int CountResponses(string response) => StatusLine().Count(response);

    [GeneratedRegex(@"HTTP/1\.[01] (\d{3}) ")]
    private static partial Regex StatusLine();
}
