using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>One request over <see cref="HttpListener"/>: the core's call, put on HttpListener's response.</summary>
/// <remarks>
/// HttpListener gives every request its own request, response and streams, and sends the headers with the first
/// body byte (or at Close), so an unsent response can still be replaced.
/// </remarks>
internal sealed class HttpListenerCall : ServerCall
{
    private readonly HttpListenerContext _context;
    private readonly CancellationToken _callCancelled;

    public HttpListenerCall(HttpListenerContext context, PrefixTable prefixes, int bufferSize, object appDisposing, CancellationToken callCancelled)
        : base(prefixes, bufferSize, appDisposing)
    {
        _context = context;
        _callCancelled = callCancelled;
        var request = context.Request;
        Begin(Facts(request), request.InputStream, request.HasEntityBody, DeclaredLength(request));
    }

    /// <summary>True once the response was aborted: there is nothing left to close.</summary>
    public bool Aborted { get; private set; }

    protected override Stream TransportOutput => _context.Response.OutputStream;

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

    // Known limit of the managed (Linux, macOS) HttpListener: Abort() still writes the final chunk of a chunked
    // response before it closes the socket, so only a response with a Content-Length is seen as truncated. On
    // Windows http.sys resets the connection.
    protected override void Abort()
    {
        Aborted = true;
        _context.Response.Abort();
    }

    private static RequestFacts Facts(HttpListenerRequest request) => new(
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
        request.IsLocal);

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

    // The server's stop token: HttpListener reports no client disconnect.
    protected override CancellationToken CreateCallCancelled() => _callCancelled;

    protected override IDictionary<string, string[]> CopyRequestHeaders()
    {
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
}
