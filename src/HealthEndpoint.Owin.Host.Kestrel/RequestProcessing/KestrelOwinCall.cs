using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Owin.HealthEndpoint.Hosting.Kestrel;

/// <summary>One request and its response: the OWIN environment the app sees over Kestrel's features, and the sending of headers.</summary>
internal sealed class KestrelOwinCall
{
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly IHttpRequestFeature _request;
    private readonly IHttpResponseFeature _response;
    private readonly IHttpResponseBodyFeature _responseBody;
    private readonly IHttpRequestLifetimeFeature? _lifetime;
    private List<KeyValuePair<Action<object>, object>>? _onSendingHeaders;

    public KestrelOwinCall(IFeatureCollection features, PathBaseResolver pathBases, int bufferSize)
    {
        _request = features.GetRequiredFeature<IHttpRequestFeature>();
        _response = features.GetRequiredFeature<IHttpResponseFeature>();
        _responseBody = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        _lifetime = features.Get<IHttpRequestLifetimeFeature>();
        var connection = features.GetRequiredFeature<IHttpConnectionFeature>();
        var remoteAddress = Normalize(connection.RemoteIpAddress);
        var localAddress = Normalize(connection.LocalIpAddress);
        var method = _request.Method;
        var (pathBase, path) = pathBases.Split(_request.Path);
        RequestBody = new RequestBodyStream(_request.Body);
        ResponseBody = new ResponseBodyStream(this, discard: HttpMethods.IsHead(method), bufferSize);
        // Every key but owin.ResponseStatusCode and owin.ResponseReasonPhrase, which the app sets.
        var environment = new OwinEnvironment();
        environment.SetKnown(OwinEnvironment.Version, "1.0");
        environment.SetKnown(OwinEnvironment.CallCancelled, _lifetime?.RequestAborted ?? CancellationToken.None);
        environment.SetKnown(OwinEnvironment.RequestMethod, method);
        environment.SetKnown(OwinEnvironment.RequestScheme, _request.Scheme);
        environment.SetKnown(OwinEnvironment.RequestPathBase, pathBase);
        environment.SetKnown(OwinEnvironment.RequestPath, path);
        environment.SetKnown(OwinEnvironment.RequestQueryString, _request.QueryString.Length > 0 ? _request.QueryString.Substring(1) : string.Empty);
        environment.SetKnown(OwinEnvironment.RequestProtocol, _request.Protocol);
        environment.SetKnown(OwinEnvironment.RequestHeaders, CopyRequestHeaders(_request.Headers));
        environment.SetKnown(OwinEnvironment.RequestBody, RequestBody);
        environment.SetKnown(OwinEnvironment.ResponseHeaders, new HeaderDictionary(_response.Headers));
        environment.SetKnown(OwinEnvironment.ResponseBody, ResponseBody);
        environment.SetKnown(OwinEnvironment.RemoteIpAddress, remoteAddress?.ToString() ?? string.Empty);
        environment.SetKnown(OwinEnvironment.RemotePort, connection.RemotePort.ToString(CultureInfo.InvariantCulture));
        environment.SetKnown(OwinEnvironment.LocalIpAddress, localAddress?.ToString() ?? string.Empty);
        environment.SetKnown(OwinEnvironment.LocalPort, connection.LocalPort.ToString(CultureInfo.InvariantCulture));

        // As HttpListener defines it: the client is this host's own address.
        environment.SetKnown(OwinEnvironment.IsLocal, remoteAddress is not null && remoteAddress.Equals(localAddress) ? True : False);
        environment.SetKnown(OwinEnvironment.OnSendingHeaders, new Action<Action<object>, object>(RegisterOnSendingHeaders));
        Environment = environment;
    }

    public OwinEnvironment Environment { get; }

    public RequestBodyStream RequestBody { get; }

    public ResponseBodyStream ResponseBody { get; }

    public string Method => _request.Method;

    public string Path => _request.Path;

    /// <summary>True once <see cref="SendHeaders"/> ran: status and headers can no longer change.</summary>
    public bool HeadersSent { get; private set; }

    /// <summary>True once Kestrel put the response's first bytes on the wire (or committed to).</summary>
    public bool Started => _response.HasStarted;

    /// <summary>Kestrel's response body; valid once the headers are sent.</summary>
    public Stream Output => _responseBody.Stream;

    /// <summary>Kestrel's response body as a pipe; valid once the headers are sent.</summary>
    public System.IO.Pipelines.PipeWriter Writer => _responseBody.Writer;

    /// <summary>
    /// Runs the OnSendingHeaders callbacks (last registered first, as Katana does), then gives Kestrel the status
    /// and the framing: the exact length when the whole body is known, else Kestrel's chunking (or close, HTTP/1.0).
    /// </summary>
    /// <param name="knownLength">The whole body's length when it is known, else null (streamed).</param>
    /// <returns>The stream the body goes to.</returns>
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

        var status = Environment.TryGetValue("owin.ResponseStatusCode", out var code) && code is int value ? value : 200;
        _response.StatusCode = status;
        if (Environment.TryGetValue("owin.ResponseReasonPhrase", out var reason) && reason is string phrase && phrase.Length > 0)
        {
            _response.ReasonPhrase = phrase;
        }

        var headers = _response.Headers;
        var bodyless = status < 200 || status == 204 || status == 304;
        if (knownLength is long length && !bodyless && headers.ContentLength is null && headers.TransferEncoding.Count == 0)
        {
            headers.ContentLength = length;
        }

        // An unread request body (a 405 to a large POST) is not drained for the next request: close instead. Kestrel
        // then closes the socket when its response drain timeout ends (about 6 s measured): aborting at once would
        // reset the connection before the response reached the client (299 of 300 tries lost it).
        if (_request.Headers.ContentLength is not (null or 0) || _request.Headers.TransferEncoding.Count > 0)
        {
            if (!RequestBody.ReachedEnd)
            {
                headers.Connection = "close";
            }
        }

        return _responseBody.Stream;
    }

    /// <summary>
    /// Ends a call whose app failed: before anything went out, a 500 with an empty body and none of the app's
    /// headers; after, the connection is aborted so the client cannot take a truncated body for a whole one.
    /// </summary>
    public void Fail()
    {
        if (_response.HasStarted)
        {
            _lifetime?.Abort();
            return;
        }

        _response.Headers.Clear();
        _response.StatusCode = StatusCodes.Status500InternalServerError;
        _response.ReasonPhrase = null;
        _response.Headers.ContentLength = 0;
    }

    // A copy, as the HttpListener host makes: Kestrel reuses its header collection for the connection's next
    // request, and an app that keeps the dictionary past its request (a log written later) must not read those.
    private static Dictionary<string, string[]> CopyRequestHeaders(IHeaderDictionary source)
    {
        var headers = new Dictionary<string, string[]>(source.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var header in source)
        {
            headers[header.Key] = HeaderDictionary.ToArray(header.Value);
        }

        return headers;
    }

    // Dual-stack sockets (http://+:port/) report IPv4 clients as ::ffff:a.b.c.d; the app's allowlist and logs
    // expect the plain IPv4 form, as HttpListener gives it.
    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private void RegisterOnSendingHeaders(Action<object> callback, object state)
    {
        if (HeadersSent)
        {
            throw new InvalidOperationException("The response headers have already been sent.");
        }

        (_onSendingHeaders ??= []).Add(new KeyValuePair<Action<object>, object>(callback, state));
    }
}
