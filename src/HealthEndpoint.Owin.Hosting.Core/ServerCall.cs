using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>What a transport knows of a request when it arrives: the values of its OWIN request keys.</summary>
/// <remarks>
/// The request headers are not among them: the app rarely reads them, so the transport copies them only when it does.
/// The raw target and every Host header line are, for <see cref="RequestHeadCheck"/>.
/// </remarks>
internal readonly record struct RequestFacts(
    string Method,
    string Scheme,
    string RawPath,
    string QueryString,
    string Protocol,
    string RemoteIpAddress,
    string RemotePort,
    string LocalIpAddress,
    int LocalPort,
    string LocalPortText,
    bool IsLocal,
    string RawTarget,
    IReadOnlyList<string> HostHeaders);

/// <summary>
/// The requests of one connection and their responses as the app sees them, whatever the transport: the OWIN
/// environment, the response rules (<see cref="ResponseHead"/>), OnSendingHeaders, and the end of each request's life.
/// </summary>
/// <remarks>
/// A transport that keeps its connection's objects from one request to the next (Kestrel) keeps its call too, and
/// <see cref="Begin"/>s each request on it; one that does not (HttpListener) makes a call per request. Either way the
/// app is given only the request's <see cref="RequestFacade"/> and what it hands out: the request headers' own copy,
/// a request body stream and a token of the request's own. <see cref="Seal"/> makes them all stale before anything
/// is cleared, so nothing the app kept can reach the next request. A transport subclass only puts the decided head
/// on the wire, replaces an unsent response, aborts, and builds the request headers and the token on demand.
/// </remarks>
internal abstract partial class ServerCall
{
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object Version = "1.0";

    private readonly PrefixTable _prefixes;
    private readonly object _appDisposing;
    private readonly RequestBodyLimits _bodyLimits;
    private List<KeyValuePair<Action<object>, object>>? _onSendingHeaders;
    private InvalidResponseException? _rejection;
    private RequestFacade? _current;
    private RequestBodyStream? _requestBody;
    private Stream _requestTransport = Stream.Null;
    private bool _hasBody;
    private long? _declaredLength;

    /// <param name="prefixes">The server's prefixes: a path outside them is answered 404 by the host.</param>
    /// <param name="responseBufferSize">How much of a response is buffered before the headers go out.</param>
    /// <param name="appDisposing">The server's <c>host.OnAppDisposing</c> token, boxed once for every request.</param>
    /// <param name="bodyLimits">What the core's request body stream enforces for this transport.</param>
    protected ServerCall(PrefixTable prefixes, int responseBufferSize, object appDisposing, RequestBodyLimits bodyLimits)
    {
        _prefixes = prefixes;
        _appDisposing = appDisposing;
        _bodyLimits = bodyLimits;
        ResponseBody = new ResponseBodyWriter(this, responseBufferSize);
    }

    /// <summary>Guards the request's state against a facade whose request is over, and the facades against each other.</summary>
    public object Gate { get; } = new();

    /// <summary>The app's view of the current request: its environment, response headers and response body.</summary>
    public IDictionary<string, object> Environment => _current ?? throw new InvalidOperationException("No request is under way.");

    public ResponseBodyWriter ResponseBody { get; }

    /// <summary>The environment's values; only the current facade and the host read them.</summary>
    public RequestEnvironment Values { get; } = new();

    /// <summary>The app's response headers; only the current facade and the host read them.</summary>
    public Dictionary<string, string[]> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string Method { get; private set; } = string.Empty;

    /// <summary>The path without the prefix's, for the log.</summary>
    public string Path { get; private set; } = string.Empty;

    public bool IsHead { get; private set; }

    /// <summary>False when no prefix of the request's port admits its path: the host answers 404 without the app.</summary>
    public bool InsidePrefixes { get; private set; }

    /// <summary>Why the request head is refused with 400 (<see cref="RequestHeadCheck"/>), or null.</summary>
    public string? HeadProblem { get; private set; }

    /// <summary>True once <see cref="SendHeaders"/> ran: status and headers can no longer change.</summary>
    public bool HeadersSent { get; private set; }

    /// <summary>The status line and framing decided by <see cref="SendHeaders"/>.</summary>
    public ResponseHead Head { get; private set; }

    /// <summary>
    /// True once the transport's request body was read to its end: the connection is clean for the next request. A
    /// response to a body that was not (a 405 to a 1 GiB POST) closes the connection instead of reading what the app did not want.
    /// </summary>
    public bool RequestBodyAtEnd => _requestBody?.TransportAtEnd ?? !_hasBody;

    /// <summary>The transport's body stream; valid once the headers are sent.</summary>
    /// <exception cref="InvalidResponseException">The head was rejected: nothing of the app's may go out.</exception>
    public Stream Output => _rejection is null ? TransportOutput : throw _rejection;

    /// <summary>The transport's body stream, once <see cref="ApplyHead"/> ran.</summary>
    protected abstract Stream TransportOutput { get; }

    /// <summary>Whether <paramref name="facade"/> is the current request's. Stale facades refuse every use.</summary>
    public bool IsCurrent(RequestFacade facade) => ReferenceEquals(Volatile.Read(ref _current), facade);

    /// <summary>Starts a request on this call: its values in the environment, a new facade for the app.</summary>
    /// <param name="request">The request's values.</param>
    /// <param name="requestBody">The transport's request body.</param>
    /// <param name="hasBody">The request declares a body.</param>
    /// <param name="declaredLength">Its Content-Length, when it has one.</param>
    public void Begin(in RequestFacts request, Stream requestBody, bool hasBody, long? declaredLength)
    {
        Method = request.Method;
        IsHead = request.Method == "HEAD";
        InsidePrefixes = _prefixes.TrySplit(request.LocalPort, request.RawPath, out var pathBase, out var path);
        HeadProblem = RequestHeadCheck.Problem(request.RawTarget, request.HostHeaders);
        Path = path;
        _requestTransport = requestBody;
        _hasBody = hasBody;
        _declaredLength = declaredLength;
        HeadersSent = false;
        Head = default;
        _rejection = null;

        // Every key but owin.ResponseStatusCode and owin.ResponseReasonPhrase, which the app sets. The deferred ones
        // are built when the app first reads them.
        var values = Values;
        values.SetKnown(RequestEnvironment.Version, Version);
        values.SetKnown(RequestEnvironment.CallCancelled, RequestEnvironment.Deferred);
        values.SetKnown(RequestEnvironment.RequestMethod, request.Method);
        values.SetKnown(RequestEnvironment.RequestScheme, request.Scheme);
        values.SetKnown(RequestEnvironment.RequestPathBase, pathBase);
        values.SetKnown(RequestEnvironment.RequestPath, path);
        values.SetKnown(RequestEnvironment.RequestQueryString, request.QueryString);
        values.SetKnown(RequestEnvironment.RequestProtocol, request.Protocol);
        values.SetKnown(RequestEnvironment.RequestHeaders, RequestEnvironment.Deferred);
        values.SetKnown(RequestEnvironment.RequestBody, RequestEnvironment.Deferred);
        values.SetKnown(RequestEnvironment.RemoteIpAddress, request.RemoteIpAddress);
        values.SetKnown(RequestEnvironment.RemotePort, request.RemotePort);
        values.SetKnown(RequestEnvironment.LocalIpAddress, request.LocalIpAddress);
        values.SetKnown(RequestEnvironment.LocalPort, request.LocalPortText);
        values.SetKnown(RequestEnvironment.IsLocal, request.IsLocal ? True : False);
        values.SetKnown(RequestEnvironment.OnSendingHeaders, RequestEnvironment.Deferred);
        values.SetKnown(RequestEnvironment.OnAppDisposing, _appDisposing);

        var facade = new RequestFacade(this);
        values.SetKnown(RequestEnvironment.ResponseHeaders, facade);
        values.SetKnown(RequestEnvironment.ResponseBody, facade);
        lock (Gate)
        {
            _current = facade;
        }
    }

    /// <summary>Reads the request body's start before the app runs (<see cref="RequestBodyStream.ReadAheadAsync"/>).</summary>
    public Task ReadAheadAsync() => _hasBody ? RequestBody().ReadAheadAsync() : Task.CompletedTask;

    /// <summary>
    /// Once the response is handed over, reads what the app left of the request body when the transport asks for it
    /// (<see cref="RequestBodyLimits.DrainUnread"/>), so that closing the connection does not reset it under a
    /// response the client has not read yet (<see cref="RequestBodyStream.DrainAsync"/>). It does not throw.
    /// </summary>
    public async Task DrainUnreadBodyAsync()
    {
        if (!_bodyLimits.DrainUnread || RequestBodyAtEnd || ConnectionAborted)
        {
            return;
        }

        await RequestBody().DrainAsync().ConfigureAwait(false);
    }

    /// <summary>True once the transport's connection was cut: nothing more can be read or sent.</summary>
    protected virtual bool ConnectionAborted => false;

    /// <summary>True once the transport saw the client close or reset the connection while this request ran.</summary>
    public virtual bool ClientGone => false;

    /// <summary>
    /// Ends the life of everything the app was given (later reads, writes and token registrations act on nothing),
    /// then clears the request's state for the connection's next request.
    /// </summary>
    public void Seal()
    {
        lock (Gate)
        {
            Volatile.Write(ref _current, null);
            _requestBody?.Seal();
            _requestBody = null;
            ResponseBody.Reset();
            Values.Clear();
            ResponseHeaders.Clear();
            _onSendingHeaders?.Clear();
            _requestTransport = Stream.Null;
        }

        OnSealed();
    }

    /// <summary>Builds the value of a deferred slot on the app's first read. The caller holds <see cref="Gate"/>.</summary>
    public object Build(int slot, RequestFacade facade) => slot switch
    {
        RequestEnvironment.RequestHeaders => CopyRequestHeaders(),
        RequestEnvironment.RequestBody => RequestBody(),
        RequestEnvironment.CallCancelled => CreateCallCancelled(),
        RequestEnvironment.OnSendingHeaders => new Action<Action<object>, object>(facade.RegisterOnSendingHeaders),
        _ => throw new InvalidOperationException($"'{RequestEnvironment.KeyOf(slot)}' is not built on demand."),
    };

    /// <summary>A copy of the request headers, the app's own (a transport may reuse its collection for the next request).</summary>
    protected abstract IDictionary<string, string[]> CopyRequestHeaders();

    /// <summary>The request's <c>owin.CallCancelled</c>, made when the app first asks for it.</summary>
    protected abstract CancellationToken CreateCallCancelled();

    /// <summary>Unlinks whatever ties the request's token to the connection.</summary>
    protected virtual void OnSealed()
    {
    }

    private RequestBodyStream RequestBody() => _requestBody ??= new RequestBodyStream(_requestTransport, _hasBody, _declaredLength, _bodyLimits);
}
