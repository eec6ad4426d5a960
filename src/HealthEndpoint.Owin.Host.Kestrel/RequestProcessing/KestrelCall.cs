using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace HealthEndpoint.Owin.Host.Kestrel;

/// <summary>One request over Kestrel: the core's call, put on Kestrel's features.</summary>
/// <remarks>
/// Kestrel reuses its per-connection objects (header collections, body streams, the abort token) for the
/// connection's next request, so none of them is given to the app: the core's own dictionaries and streams are,
/// and the request's token is linked to Kestrel's only until the request is sealed.
/// </remarks>
internal sealed class KestrelCall : ServerCall
{
    private readonly IHttpResponseFeature _response;
    private readonly IHttpResponseBodyFeature _responseBody;
    private readonly IHttpRequestLifetimeFeature? _lifetime;
    private readonly CancellationTokenRegistration _link;

    private KestrelCall(
        in RequestFacts facts,
        IHttpRequestFeature request,
        IFeatureCollection features,
        IHttpRequestLifetimeFeature? lifetime,
        PrefixTable prefixes,
        int bufferSize,
        object appDisposing,
        CancellationTokenSource? cancelled)
        : base(facts, prefixes, request.Body, HasBody(request, features), DeclaredLength(request), bufferSize, appDisposing, cancelled?.Token ?? CancellationToken.None)
    {
        _response = features.GetRequiredFeature<IHttpResponseFeature>();
        _responseBody = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        _lifetime = lifetime;
        if (cancelled is not null)
        {
            _link = lifetime!.RequestAborted.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), cancelled);
        }
    }

    public static KestrelCall Create(IFeatureCollection features, PrefixTable prefixes, int bufferSize, object appDisposing)
    {
        var request = features.GetRequiredFeature<IHttpRequestFeature>();
        var lifetime = features.Get<IHttpRequestLifetimeFeature>();
        var cancelled = lifetime is { RequestAborted.CanBeCanceled: true } ? new CancellationTokenSource() : null;
        return new KestrelCall(Facts(request, features), request, features, lifetime, prefixes, bufferSize, appDisposing, cancelled);
    }

    protected override Stream TransportOutput => _responseBody.Stream;

    public override bool IsClientError(Exception exception, out int statusCode)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case BadHttpRequestException bad:
                    statusCode = bad.StatusCode;
                    return true;
                case ConnectionResetException:
                    statusCode = StatusCodes.Status400BadRequest;
                    return true;
            }
        }

        statusCode = 0;
        return false;
    }

    protected override void ApplyHead(in ResponseHead head, IDictionary<string, string[]> headers, bool keepAlive)
    {
        _response.StatusCode = head.StatusCode;
        _response.ReasonPhrase = head.ReasonPhrase;
        var target = _response.Headers;
        foreach (var header in headers)
        {
            if (header.Value is { Length: > 0 } values && ResponseHead.IsPassedThrough(header.Key))
            {
                target[header.Key] = Array.IndexOf(values, null) < 0 ? new StringValues(values) : new StringValues(Array.FindAll(values, value => value is not null));
            }
        }

        // Streamed: no length, so Kestrel chunks the body (HTTP/1.1) or closes the connection after it (HTTP/1.0).
        if (head.ContentLength >= 0)
        {
            target.ContentLength = head.ContentLength;
        }

        if (!keepAlive)
        {
            // Kestrel then closes the socket when its response drain timeout ends (5 s, on its 1 s heartbeat): aborting at
            // once would reset the connection before the response reached the client.
            target.Connection = "close";
        }
    }

    protected override void SendEmpty(int statusCode, bool close)
    {
        if (_response.HasStarted)
        {
            Abort();
            return;
        }

        _response.Headers.Clear();
        _response.StatusCode = statusCode;
        _response.ReasonPhrase = null;
        _response.Headers.ContentLength = 0;
        if (close)
        {
            _response.Headers.Connection = "close";
        }
    }

    protected override void Abort() => _lifetime?.Abort();

    protected override void OnSealed() => _link.Unregister();

    private static bool HasBody(IHttpRequestFeature request, IFeatureCollection features) =>
        features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (request.Headers.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0);

    private static long? DeclaredLength(IHttpRequestFeature request) =>
        request.Headers.TransferEncoding.Count > 0 ? null : request.Headers.ContentLength;

    private static RequestFacts Facts(IHttpRequestFeature request, IFeatureCollection features)
    {
        var connection = features.GetRequiredFeature<IHttpConnectionFeature>();
        var remoteAddress = Normalize(connection.RemoteIpAddress);
        var localAddress = Normalize(connection.LocalIpAddress);
        return new RequestFacts(
            request.Method,
            request.Scheme,
            request.Path,
            request.QueryString.Length > 0 ? request.QueryString.Substring(1) : string.Empty,
            request.Protocol,
            CopyRequestHeaders(request.Headers),
            remoteAddress?.ToString() ?? string.Empty,
            connection.RemotePort,
            localAddress?.ToString() ?? string.Empty,
            connection.LocalPort,

            // As HttpListener defines it: the client is this host's own address.
            remoteAddress is not null && remoteAddress.Equals(localAddress));
    }

    // A copy: Kestrel reuses its header collection for the connection's next request.
    private static Dictionary<string, string[]> CopyRequestHeaders(IHeaderDictionary source)
    {
        var headers = new Dictionary<string, string[]>(source.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var header in source)
        {
            // A header value is never null inside Kestrel's collections; StringValues only types it as nullable.
            headers[header.Key] = (string[])(object)header.Value.ToArray();
        }

        return headers;
    }

    // Dual-stack sockets (http://+:port/) report IPv4 clients as ::ffff:a.b.c.d; the app's allowlist and logs
    // expect the plain IPv4 form, as HttpListener gives it.
    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
