using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading;

namespace Owin.HealthEndpoint.Hosting;

/// <summary>One request and its response: the OWIN environment the app sees, and the sending of headers.</summary>
internal sealed class OwinCall
{
    private readonly HttpListenerContext _context;
    private readonly Dictionary<string, string[]> _responseHeaders = new(StringComparer.OrdinalIgnoreCase);
    private List<KeyValuePair<Action<object>, object>>? _onSendingHeaders;

    // appDisposing: the server's host.OnAppDisposing token, boxed once for all requests.
    public OwinCall(HttpListenerContext context, string pathBase, string path, int bufferSize, object appDisposing, CancellationToken callCancelled)
    {
        _context = context;
        var request = context.Request;
        RequestBody = new RequestBodyStream(request.InputStream);
        ResponseBody = new ResponseBodyStream(this, discard: request.HttpMethod == "HEAD", bufferSize);
        Environment = new Dictionary<string, object>(32, StringComparer.Ordinal)
        {
            ["owin.Version"] = "1.0",
            ["owin.CallCancelled"] = callCancelled,
            ["owin.RequestMethod"] = request.HttpMethod,
            ["owin.RequestScheme"] = request.IsSecureConnection ? "https" : "http",
            ["owin.RequestPathBase"] = pathBase,
            ["owin.RequestPath"] = path,
            ["owin.RequestQueryString"] = QueryString(request.Url),
            ["owin.RequestProtocol"] = "HTTP/" + request.ProtocolVersion.ToString(2),
            ["owin.RequestHeaders"] = RequestHeaders(request),
            ["owin.RequestBody"] = RequestBody,
            ["owin.ResponseHeaders"] = _responseHeaders,
            ["owin.ResponseBody"] = ResponseBody,
            ["server.RemoteIpAddress"] = request.RemoteEndPoint.Address.ToString(),
            ["server.RemotePort"] = request.RemoteEndPoint.Port.ToString(CultureInfo.InvariantCulture),
            ["server.LocalIpAddress"] = request.LocalEndPoint.Address.ToString(),
            ["server.LocalPort"] = request.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture),
            ["server.IsLocal"] = request.IsLocal,
            ["server.OnSendingHeaders"] = new Action<Action<object>, object>(RegisterOnSendingHeaders),
            ["host.OnAppDisposing"] = appDisposing,
        };
    }

    public Dictionary<string, object> Environment { get; }

    public RequestBodyStream RequestBody { get; }

    public ResponseBodyStream ResponseBody { get; }

    public bool HeadersSent { get; private set; }

    /// <summary>The listener's output stream; valid once the headers are sent.</summary>
    public Stream Output => _context.Response.OutputStream;

    /// <summary>
    /// Runs the OnSendingHeaders callbacks (last registered first, as Katana does), then copies status and
    /// headers to the listener's response.
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

        var response = _context.Response;
        var status = Environment.TryGetValue("owin.ResponseStatusCode", out var code) && code is int value ? value : 200;
        response.StatusCode = status;
        if (Environment.TryGetValue("owin.ResponseReasonPhrase", out var reason) && reason is string phrase && phrase.Length > 0)
        {
            response.StatusDescription = phrase;
        }

        var declaredLength = ResponseHeaderWriter.Write(_responseHeaders, response);
        var bodyless = status < 200 || status == 204 || status == 304;
        if (declaredLength is null && !bodyless)
        {
            if (knownLength is long length)
            {
                response.ContentLength64 = length;
            }
            else if (_context.Request.ProtocolVersion >= HttpVersion.Version11)
            {
                response.SendChunked = true;
            }
            else
            {
                response.KeepAlive = false;
            }
        }

        if (_context.Request.HasEntityBody && !RequestBody.ReachedEnd)
        {
            response.KeepAlive = false;
        }

        return response.OutputStream;
    }

    private static string QueryString(Uri? url)
    {
        var query = url?.Query;
        return string.IsNullOrEmpty(query) ? string.Empty : query!.Substring(1);
    }

    private static Dictionary<string, string[]> RequestHeaders(HttpListenerRequest request)
    {
        var source = request.Headers;
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

    private void RegisterOnSendingHeaders(Action<object> callback, object state)
    {
        if (HeadersSent)
        {
            throw new InvalidOperationException("The response headers have already been sent.");
        }

        (_onSendingHeaders ??= []).Add(new KeyValuePair<Action<object>, object>(callback, state));
    }
}
