using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>What a transport knows of a request when it arrives: the values of its OWIN request keys.</summary>
internal readonly record struct RequestFacts(
    string Method,
    string Scheme,
    string RawPath,
    string QueryString,
    string Protocol,
    IDictionary<string, string[]> Headers,
    string RemoteIpAddress,
    int RemotePort,
    string LocalIpAddress,
    int LocalPort,
    bool IsLocal);

/// <summary>
/// One request and its response as the app sees them, whatever the transport: the OWIN environment, the
/// response rules (<see cref="ResponseHead"/>), OnSendingHeaders, and the end of the request's life.
/// </summary>
/// <remarks>
/// Every object the app is given belongs to this request alone: the header dictionaries are the call's own, the
/// body streams are sealed by <see cref="Seal"/>, and the token is the request's (a transport whose own token
/// outlives the request links the two and unlinks them in <see cref="OnSealed"/>). A transport subclass only puts
/// the decided head on the wire, replaces an unsent response, and aborts.
/// </remarks>
internal abstract class ServerCall
{
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly Dictionary<string, string[]> _responseHeaders = new(StringComparer.OrdinalIgnoreCase);
    private List<KeyValuePair<Action<object>, object>>? _onSendingHeaders;
    private InvalidResponseException? _rejection;

    /// <param name="request">The request's values.</param>
    /// <param name="prefixes">The server's prefixes: a path outside them is answered 404 by the host.</param>
    /// <param name="requestBody">The transport's request body.</param>
    /// <param name="hasBody">The request declares a body.</param>
    /// <param name="declaredLength">Its Content-Length, when it has one.</param>
    /// <param name="responseBufferSize">How much of a response is buffered before the headers go out.</param>
    /// <param name="appDisposing">The server's <c>host.OnAppDisposing</c> token, boxed once for every request.</param>
    /// <param name="callCancelled">The request's <c>owin.CallCancelled</c>.</param>
    protected ServerCall(
        in RequestFacts request,
        PrefixTable prefixes,
        Stream requestBody,
        bool hasBody,
        long? declaredLength,
        int responseBufferSize,
        object appDisposing,
        CancellationToken callCancelled)
    {
        Method = request.Method;
        IsHead = request.Method == "HEAD";
        InsidePrefixes = prefixes.TrySplit(request.LocalPort, request.RawPath, out var pathBase, out var path);
        Path = path;
        RequestBody = new RequestBodyStream(requestBody, hasBody, declaredLength);
        ResponseBody = new ResponseBodyStream(this, responseBufferSize);

        // Every key but owin.ResponseStatusCode and owin.ResponseReasonPhrase, which the app sets.
        var environment = new RequestEnvironment();
        environment.SetKnown(RequestEnvironment.Version, "1.0");
        environment.SetKnown(RequestEnvironment.CallCancelled, callCancelled);
        environment.SetKnown(RequestEnvironment.RequestMethod, request.Method);
        environment.SetKnown(RequestEnvironment.RequestScheme, request.Scheme);
        environment.SetKnown(RequestEnvironment.RequestPathBase, pathBase);
        environment.SetKnown(RequestEnvironment.RequestPath, path);
        environment.SetKnown(RequestEnvironment.RequestQueryString, request.QueryString);
        environment.SetKnown(RequestEnvironment.RequestProtocol, request.Protocol);
        environment.SetKnown(RequestEnvironment.RequestHeaders, request.Headers);
        environment.SetKnown(RequestEnvironment.RequestBody, RequestBody);
        environment.SetKnown(RequestEnvironment.ResponseHeaders, _responseHeaders);
        environment.SetKnown(RequestEnvironment.ResponseBody, ResponseBody);
        environment.SetKnown(RequestEnvironment.RemoteIpAddress, request.RemoteIpAddress);
        environment.SetKnown(RequestEnvironment.RemotePort, request.RemotePort.ToString(CultureInfo.InvariantCulture));
        environment.SetKnown(RequestEnvironment.LocalIpAddress, request.LocalIpAddress);
        environment.SetKnown(RequestEnvironment.LocalPort, request.LocalPort.ToString(CultureInfo.InvariantCulture));
        environment.SetKnown(RequestEnvironment.IsLocal, request.IsLocal ? True : False);
        environment.SetKnown(RequestEnvironment.OnSendingHeaders, new Action<Action<object>, object>(RegisterOnSendingHeaders));
        environment.SetKnown(RequestEnvironment.OnAppDisposing, appDisposing);
        Environment = environment;
    }

    public RequestEnvironment Environment { get; }

    public RequestBodyStream RequestBody { get; }

    public ResponseBodyStream ResponseBody { get; }

    public string Method { get; }

    /// <summary>The path without the prefix's, for the log.</summary>
    public string Path { get; }

    public bool IsHead { get; }

    /// <summary>False when no prefix of the request's port admits its path: the host answers 404 without the app.</summary>
    public bool InsidePrefixes { get; }

    /// <summary>True once <see cref="SendHeaders"/> ran: status and headers can no longer change.</summary>
    public bool HeadersSent { get; private set; }

    /// <summary>The status line and framing decided by <see cref="SendHeaders"/>.</summary>
    public ResponseHead Head { get; private set; }

    /// <summary>The transport's body stream; valid once the headers are sent.</summary>
    /// <exception cref="InvalidResponseException">The head was rejected: nothing of the app's may go out.</exception>
    public Stream Output => _rejection is null ? TransportOutput : throw _rejection;

    /// <summary>The transport's body stream, once <see cref="ApplyHead"/> ran.</summary>
    protected abstract Stream TransportOutput { get; }

    /// <summary>
    /// Runs the OnSendingHeaders callbacks (last registered first, as Katana does), checks what the app set, and
    /// hands the transport the status, the headers and the framing.
    /// </summary>
    /// <param name="knownLength">The whole body's length when the app has finished writing, else null (streamed).</param>
    /// <returns>The stream the body goes to.</returns>
    /// <exception cref="InvalidResponseException">The app's status, phrase or headers cannot go out as set.</exception>
    public Stream SendHeaders(long? knownLength)
    {
        HeadersSent = true;
        if (_onSendingHeaders is not null)
        {
            for (var i = _onSendingHeaders.Count - 1; i >= 0; i--)
            {
                _onSendingHeaders[i].Key(_onSendingHeaders[i].Value);
            }
        }

        try
        {
            Head = ResponseHead.Decide(Environment, _responseHeaders, IsHead, knownLength);
        }
        catch (InvalidResponseException rejection)
        {
            _rejection = rejection;
            throw;
        }

        // An unread request body is not drained for the next request: the connection closes instead.
        ApplyHead(Head, _responseHeaders, keepAlive: Head.KeepAlive && RequestBody.TransportAtEnd);
        return TransportOutput;
    }

    /// <summary>Throws the rejection of the app's head, if there was one, once the app's task is over.</summary>
    public void ThrowIfRejected()
    {
        if (_rejection is not null)
        {
            throw _rejection;
        }
    }

    /// <summary>
    /// Ends the response without the app's part: before anything went out, an empty response with
    /// <paramref name="statusCode"/> and none of the app's headers; after, the connection is aborted so that the
    /// client cannot take a truncated body for a whole one.
    /// </summary>
    /// <param name="statusCode">500 when the app failed; the client error's status when the client did.</param>
    /// <param name="close">Close the connection after the response (the request body is in an unknown state).</param>
    public void EndWithout(int statusCode, bool close)
    {
        if (ResponseBody.Started)
        {
            Abort();
            return;
        }

        SendEmpty(statusCode, close || !RequestBody.TransportAtEnd);
    }

    /// <summary>Ends the life of every object the app was given: later reads, writes and token registrations act on nothing.</summary>
    public void Seal()
    {
        RequestBody.Seal();
        ResponseBody.Seal();
        OnSealed();
    }

    /// <summary>Whether <paramref name="exception"/> is the transport's report of a client's bad request body, and its status.</summary>
    public virtual bool IsClientError(Exception exception, out int statusCode)
    {
        statusCode = 0;
        return false;
    }

    /// <summary>Puts the decided status, the app's headers (all but the framing ones) and the framing on the transport.</summary>
    protected abstract void ApplyHead(in ResponseHead head, IDictionary<string, string[]> headers, bool keepAlive);

    /// <summary>Replaces an unsent response with an empty one: the status, Content-Length 0, nothing of the app's.</summary>
    protected abstract void SendEmpty(int statusCode, bool close);

    /// <summary>Cuts the connection: the response had started and cannot be ended honestly.</summary>
    protected abstract void Abort();

    /// <summary>Unlinks whatever ties the request's token to the connection.</summary>
    protected virtual void OnSealed()
    {
    }

    private void RegisterOnSendingHeaders(Action<object> callback, object state)
    {
        if (HeadersSent)
        {
            throw new InvalidOperationException("The response headers have already been sent.");
        }

        (_onSendingHeaders ??= []).Add(new KeyValuePair<Action<object>, object>(callback, state));
    }
}
