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

/// <summary>The requests of one Kestrel connection: the core's call, put on Kestrel's features.</summary>
/// <remarks>
/// Kestrel reuses its per-connection objects (header collections, body streams, the abort token) for the
/// connection's next request, so none of them is given to the app: the core's facade and streams are, the request
/// headers are copied when the app asks for them, and the request's token is linked to Kestrel's only until the
/// request is sealed.
/// </remarks>
internal sealed class KestrelCall : ServerCall
{
    private readonly AddressText _remote = new();
    private readonly AddressText _local = new();
    private IHttpRequestFeature _request = null!;
    private IHttpResponseFeature _response = null!;
    private IHttpResponseBodyFeature _responseBody = null!;
    private IHttpRequestLifetimeFeature? _lifetime;
    private CancellationTokenRegistration _link;
    private string? _rawQuery;
    private string _query = string.Empty;

    // Kestrel enforces its own body limits (MaxRequestBodySize, MinRequestBodyDataRate) and drains an unread body itself.
    public KestrelCall(PrefixTable prefixes, int bufferSize, object appDisposing)
        : base(prefixes, bufferSize, appDisposing, RequestBodyLimits.None)
    {
    }

    protected override Stream TransportOutput => _responseBody.Stream;

    /// <summary>Starts the request Kestrel has just parsed on this connection.</summary>
    public void Begin(IFeatureCollection features)
    {
        var request = features.GetRequiredFeature<IHttpRequestFeature>();
        _request = request;
        _response = features.GetRequiredFeature<IHttpResponseFeature>();
        _responseBody = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        _lifetime = features.Get<IHttpRequestLifetimeFeature>();

        var connection = features.GetRequiredFeature<IHttpConnectionFeature>();
        var remote = _remote.Of(connection.RemoteIpAddress, connection.RemotePort);
        var local = _local.Of(connection.LocalIpAddress, connection.LocalPort);
        var facts = new RequestFacts(
            request.Method,
            request.Scheme,
            request.Path,
            Query(request.QueryString),
            request.Protocol,
            remote.Address,
            remote.Port,
            local.Address,
            connection.LocalPort,
            local.Port,

            // As HttpListener defines it: the client is this host's own address.
            remote.Address.Length > 0 && remote.Address == local.Address,
            request.RawTarget,
            HostHeaders(request));
        Begin(facts, request.Body, HasBody(request, features), DeclaredLength(request));
    }

    /// <summary>True once Kestrel aborted the request's connection: the client closed or reset it (or a stop timed out).</summary>
    public override bool ClientGone => _lifetime?.RequestAborted.IsCancellationRequested ?? false;

    // Kestrel's own verdict first (the core's body stream wraps it in a 400), then the core's.
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

        return base.IsClientError(exception, out statusCode);
    }

    protected override void ApplyHead(in ResponseHead head, Dictionary<string, string[]> headers, bool keepAlive)
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

    // A copy: Kestrel reuses its header collection for the connection's next request.
    protected override IDictionary<string, string[]> CopyRequestHeaders()
    {
        var source = _request.Headers;
        var headers = new Dictionary<string, string[]>(source.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var header in source)
        {
            // A header value is never null inside Kestrel's collections; StringValues only types it as nullable.
            headers[header.Key] = (string[])(object)header.Value.ToArray();
        }

        return headers;
    }

    // The request's own source, linked to Kestrel's abort token until the request is sealed: Kestrel resets its
    // token for the connection's next request, so the app never holds it.
    protected override CancellationToken CreateCallCancelled()
    {
        if (_lifetime is not { RequestAborted: { CanBeCanceled: true } aborted })
        {
            return CancellationToken.None;
        }

        var cancelled = new CancellationTokenSource();
        _link = aborted.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), cancelled);
        return cancelled.Token;
    }

    protected override void OnSealed()
    {
        _link.Unregister();
        _link = default;
    }

    // Kestrel refuses a second Host line itself; the core sees the one it kept.
    private static string[] HostHeaders(IHttpRequestFeature request) =>
        request.Headers.TryGetValue("Host", out var host) ? (string[])(object)host.ToArray() : [];

    private static bool HasBody(IHttpRequestFeature request, IFeatureCollection features) =>
        features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (request.Headers.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0);

    private static long? DeclaredLength(IHttpRequestFeature request) =>
        request.Headers.TransferEncoding.Count > 0 ? null : request.Headers.ContentLength;

    // Kestrel hands a connection's repeated request target back as the same strings; so is the query without its '?'.
    private string Query(string rawQuery)
    {
        if (!ReferenceEquals(rawQuery, _rawQuery))
        {
            _rawQuery = rawQuery;
            _query = rawQuery.Length > 0 ? rawQuery.Substring(1) : string.Empty;
        }

        return _query;
    }

    /// <summary>One end of the connection as the environment gives it, made again only when Kestrel's values change.</summary>
    private sealed class AddressText
    {
        private IPAddress? _address;
        private int _port = -1;

        public string Address { get; private set; } = string.Empty;

        public string Port { get; private set; } = string.Empty;

        public AddressText Of(IPAddress? address, int port)
        {
            if (!ReferenceEquals(address, _address) || address is null)
            {
                _address = address;
                Address = Normalize(address)?.ToString() ?? string.Empty;
            }

            if (port != _port)
            {
                _port = port;
                Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return this;
        }

        // Dual-stack sockets (http://+:port/) report IPv4 clients as ::ffff:a.b.c.d; the app's allowlist and logs
        // expect the plain IPv4 form, as HttpListener gives it.
        private static IPAddress? Normalize(IPAddress? address) =>
            address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
    }
}
