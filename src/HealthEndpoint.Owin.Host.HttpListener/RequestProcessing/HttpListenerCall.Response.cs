using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>
/// The response half of a call: the core's checked response head put on <see cref="HttpListenerResponse"/>, the
/// empty answer that replaces an unsent one, and the abort that makes a broken body look broken.
/// </summary>
internal sealed partial class HttpListenerCall
{
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

    private static string HttpStatusDescription(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        404 => "Not Found",
        408 => "Request Timeout",
        413 => "Content Too Large",
        _ => "Internal Server Error",
    };
}
