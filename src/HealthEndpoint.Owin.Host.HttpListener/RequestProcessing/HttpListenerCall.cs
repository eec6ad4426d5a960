using System;
using System.Collections.Generic;
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
/// This file holds the call's life: its state, and the token that tells the app the client left or the server stops.
/// Reading the request is in HttpListenerCall.Request.cs, writing the answer in HttpListenerCall.Response.cs.
/// </remarks>
internal sealed partial class HttpListenerCall : ServerCall
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
