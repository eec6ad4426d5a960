using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>One request over <see cref="HttpListener"/>: the core's call, put on HttpListener's response.</summary>
/// <remarks>
/// HttpListener gives every request its own request, response and streams, and sends the headers with the first
/// body byte (or at Close), so an unsent response can still be replaced. What it does not offer publicly is taken
/// from <see cref="ManagedListenerInternals"/>: every header line (it keeps the last of a repeated name), the socket
/// (to see the client leave while the app waits, and to reset a broken response).
/// </remarks>
internal sealed class HttpListenerCall : ServerCall
{
    private readonly HttpListenerContext _context;
    private readonly CancellationToken _stopping;
    private readonly List<KeyValuePair<string, string>>? _headerLines;
    private readonly Socket? _socket;
    private ClientWriteStream? _output;
    private CancellationTokenSource? _callCancelled;
    private CancellationTokenSource? _watchStop;
    private int _gone;

    // stopping: the server's token, cancelled when a stop gives up waiting for requests.
    public HttpListenerCall(HttpListenerContext context, PrefixTable prefixes, int bufferSize, object appDisposing, RequestBodyLimits bodyLimits, CancellationToken stopping)
        : base(prefixes, bufferSize, appDisposing, bodyLimits)
    {
        _context = context;
        _stopping = stopping;
        var request = context.Request;

        // Before InputStream: creating the body stream hands the raw head's buffer on to it.
        _headerLines = ManagedListenerInternals.RawHead(context) is { } head ? RawRequestHead.Parse(head, request.HttpMethod, request.RawUrl ?? string.Empty) : null;
        _socket = ManagedListenerInternals.SocketOf(context);
        Begin(Facts(request, HostHeaders(request)), request.InputStream, request.HasEntityBody, DeclaredLength(request));
    }

    /// <summary>True once the response was aborted: there is nothing left to close.</summary>
    public bool Aborted { get; private set; }

    public override bool ClientGone => Volatile.Read(ref _gone) == 1;

    protected override bool ConnectionAborted => Aborted;

    protected override Stream TransportOutput => _output ??= new ClientWriteStream(_context.Response.OutputStream, this);

    protected override void ApplyHead(in ResponseHead head, Dictionary<string, string[]> headers, bool keepAlive)
    {
        var response = _context.Response;
        response.StatusCode = head.StatusCode;
        if (head.ReasonPhrase is not null)
        {
            response.StatusDescription = head.ReasonPhrase;
        }

        foreach (var header in headers)
        {
            if (header.Value is not { Length: > 0 } values || !ResponseHead.IsPassedThrough(header.Key))
            {
                continue;
            }

            // HttpListener owns Content-Type as a property; appending it as a header would send it twice.
            if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = values[0];
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null)
                {
                    response.AppendHeader(header.Key, value);
                }
            }
        }

        var http11 = _context.Request.ProtocolVersion >= HttpVersion.Version11;
        switch (head.Framing)
        {
            case BodyFraming.ContentLength:
                response.ContentLength64 = head.ContentLength;
                break;
            case BodyFraming.Streamed when http11:
                response.SendChunked = true;
                break;
            case BodyFraming.Streamed:
                keepAlive = false; // HTTP/1.0 has no chunks: the end of the body is the end of the connection.
                break;
            default:
                // No body. HEAD declares GET's length; 204 declares none (HttpListener would add "Content-Length: 0").
                if (head.ContentLength >= 0)
                {
                    response.ContentLength64 = head.ContentLength;
                }

                break;
        }

        if (!keepAlive)
        {
            response.KeepAlive = false;
        }
    }

    protected override void SendEmpty(int statusCode, bool close)
    {
        var response = _context.Response;
        try
        {
            // No body byte reached HttpListener, so it has sent nothing yet, even if the app's status and headers
            // were copied to it already (an early flush, a rejected header, a failing OnSendingHeaders callback).
            response.Headers.Clear();
            response.StatusCode = statusCode;
            response.StatusDescription = HttpStatusDescription(statusCode);
            response.SendChunked = false;
            response.ContentLength64 = 0;
            if (close)
            {
                response.KeepAlive = false;
            }
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone or the response is broken.
            Abort();
        }
    }

    // The managed HttpListener's Abort() writes the final chunk of a chunked response before it closes the socket,
    // which would make a broken body look whole: the final chunk is suppressed and the socket closed with a reset.
    // On Windows http.sys resets the connection itself.
    protected override void Abort()
    {
        Aborted = true;
        try
        {
            ManagedListenerInternals.SuppressFinalChunk(_context.Response.OutputStream);
            if (_socket is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }

            _context.Response.Abort();
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Already closed.
        }
    }

    private static RequestFacts Facts(HttpListenerRequest request, IReadOnlyList<string> hostHeaders) => new(
        request.HttpMethod,
        request.IsSecureConnection ? "https" : "http",
        PrefixTable.DecodePath(request.Url?.AbsolutePath ?? "/"),
        QueryString(request.Url),
        "HTTP/" + request.ProtocolVersion.ToString(2),
        request.RemoteEndPoint.Address.ToString(),
        request.RemoteEndPoint.Port.ToString(CultureInfo.InvariantCulture),
        request.LocalEndPoint.Address.ToString(),
        request.LocalEndPoint.Port,
        request.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture),
        request.IsLocal,
        request.RawUrl ?? string.Empty,
        hostHeaders);

    private static long? DeclaredLength(HttpListenerRequest request) =>
        request.ContentLength64 >= 0 && request.Headers["Transfer-Encoding"] is null ? request.ContentLength64 : null;

    private static string HttpStatusDescription(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        404 => "Not Found",
        408 => "Request Timeout",
        413 => "Content Too Large",
        _ => "Internal Server Error",
    };

    private static string QueryString(Uri? url)
    {
        var query = url?.Query;
        return string.IsNullOrEmpty(query) ? string.Empty : query!.Substring(1);
    }

    /// <summary>The client closed or reset the connection: the request's token fires, and the request is over for the client.</summary>
    internal void MarkClientGone()
    {
        Volatile.Write(ref _gone, 1);
        CancelCall();
    }

    // Fires on the server's stop, on a write that fails, and (once the request body is read to its end, so the
    // listener reads nothing more from the socket) when the client closes or resets the connection.
    protected override CancellationToken CreateCallCancelled()
    {
        var cancelled = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        Volatile.Write(ref _callCancelled, cancelled);
        if (ClientGone)
        {
            cancelled.Cancel();
        }
        else if (_socket is { } socket && RequestBodyAtEnd)
        {
            _watchStop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
            _ = WatchClientAsync(socket, _watchStop.Token);
        }

        return cancelled.Token;
    }

    protected override void OnSealed()
    {
        _watchStop?.Cancel();
        _watchStop?.Dispose();
        _watchStop = null;
    }

    protected override IDictionary<string, string[]> CopyRequestHeaders()
    {
        if (_headerLines is { } lines)
        {
            return Group(lines);
        }

        var source = _context.Request.Headers;
        var headers = new Dictionary<string, string[]>(source.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var name in source.AllKeys)
        {
            if (name is not null)
            {
                headers[name] = [source[name] ?? string.Empty];
            }
        }

        return headers;
    }

    private static Dictionary<string, string[]> Group(List<KeyValuePair<string, string>> lines)
    {
        var headers = new Dictionary<string, string[]>(lines.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            headers[line.Key] = headers.TryGetValue(line.Key, out var earlier) ? [.. earlier, line.Value] : [line.Value];
        }

        return headers;
    }

    private List<string> HostHeaders(HttpListenerRequest request)
    {
        var hosts = new List<string>();
        if (_headerLines is { } lines)
        {
            foreach (var line in lines)
            {
                if (string.Equals(line.Key, "Host", StringComparison.OrdinalIgnoreCase))
                {
                    hosts.Add(line.Value);
                }
            }
        }
        else if (request.Headers["Host"] is { } host)
        {
            hosts.Add(host);
        }

        return hosts;
    }

    // A peek takes nothing from the socket: it completes with 0 when the client closes, throws when it resets, and
    // with a byte when the client pipelines its next request (then the connection is in use and nothing is known).
    private async Task WatchClientAsync(Socket socket, CancellationToken stop)
    {
        var probe = new byte[1];
        try
        {
            if (await socket.ReceiveAsync(probe, SocketFlags.Peek, stop).ConfigureAwait(false) == 0)
            {
                MarkClientGone();
            }
        }
        catch (SocketException)
        {
            MarkClientGone();
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // The request is over, or the listener closed the socket.
        }
    }

    private void CancelCall()
    {
        try
        {
            Volatile.Read(ref _callCancelled)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
