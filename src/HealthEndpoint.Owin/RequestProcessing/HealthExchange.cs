using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;

namespace HealthEndpoint.Owin;

// One health exchange as plain data: the route a path matched, the request as read once where it entered, and the
// answer the responder returns. None of these knows OWIN: an adapter reads its framework's request into a
// HealthRequest and writes a HealthAnswer into its framework's response (the middleware does both for OWIN).

/// <summary>Which health answer a request path asks for.</summary>
/// <remarks>Values run from 0 without gaps: the metrics look up each route's tag by value.</remarks>
internal enum HealthRouteKind
{
    /// <summary>Not a health path: the request goes to the app (the <c>default</c> route).</summary>
    None,

    /// <summary>Under a per-check prefix, but no such check: 404.</summary>
    UnknownCheck,
    Ping,
    Status,
    Live,
    Ready,
    Startup,

    /// <summary>The metrics page (<see cref="HealthEndpointOptions.MetricsPath"/>).</summary>
    Metrics,
}

/// <summary>A matched health path: its kind and, for a per-check path, the check's canonical name.</summary>
internal readonly struct HealthRoute
{
    public HealthRoute(HealthRouteKind kind, string? check = null)
    {
        Kind = kind;
        Check = check;
    }

    public HealthRouteKind Kind { get; }

    /// <summary>The canonical check name of <c>&lt;StatusPath&gt;/&lt;check&gt;</c> or <c>&lt;ReadyPath&gt;/&lt;check&gt;</c>.</summary>
    public string? Check { get; }
}

/// <summary>The body format a health request is answered in.</summary>
internal enum HealthFormat
{
    /// <summary><c>pong</c> for ping; for status the compact <c>{"checks":{…},"status":"ok"}</c> document.</summary>
    Compact,

    /// <summary><c>application/health+json</c>, when switched on and preferred by <c>Accept</c>.</summary>
    HealthJson,

    /// <summary>The Kubernetes API server's text, for livez, readyz and startupz.</summary>
    KubernetesText,
}

/// <summary>Everything the responder needs to know about a matched health request, read once where it entered.</summary>
/// <remarks>Each optional part is read only when its option is on, or when the route needs it.</remarks>
internal readonly struct HealthRequest
{
    // Inlined: called once per health request with eight arguments, most of them passed on the stack otherwise.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HealthRequest(
        HealthRoute route,
        string? method,
        HealthFormat format,
        HealthQuery? query,
        string? remoteAddress,
        string[]? forwardedFor,
        CancellationToken? appDisposing,
        CancellationToken cancelled)
    {
        Route = route;
        Format = format;
        Query = query;
        AppDisposing = appDisposing;
        RemoteAddress = remoteAddress;
        ForwardedFor = forwardedFor;
        Cancelled = cancelled;

        // HTTP methods are case-sensitive (RFC 9110 section 9.1): "get" is not GET, and gets 405 like any other.
        IncludeBody = method == "GET";
        IsGetOrHead = IncludeBody || method == "HEAD";
    }

    public HealthRoute Route { get; }

    public HealthFormat Format { get; }

    /// <summary><c>?verbose</c> and <c>?exclude</c>; <see langword="null"/> when none (always, unless <see cref="HealthEndpointOptions.ProbeQueries"/> is on).</summary>
    public HealthQuery? Query { get; }

    /// <summary>True for GET; false for HEAD: the answer's headers, no body.</summary>
    public bool IncludeBody { get; }

    /// <summary>True for GET and HEAD, the methods the health paths take.</summary>
    public bool IsGetOrHead { get; }

    /// <summary>The request's <c>host.OnAppDisposing</c>, if it carried one; read for the routes that depend on the host's state.</summary>
    public CancellationToken? AppDisposing { get; }

    /// <summary>The peer's address; read when the allowlist is on.</summary>
    public string? RemoteAddress { get; }

    /// <summary>The <c>X-Forwarded-For</c> values; read when the allowlist is on.</summary>
    public string[]? ForwardedFor { get; }

    /// <summary>The request's cancellation; read for the metrics page only.</summary>
    public CancellationToken Cancelled { get; }
}

/// <summary>
/// One answer, as data: status code, content type, body and its length. Every answer also carries the
/// <see cref="CacheControl"/> and <see cref="ContentTypeOptions"/> headers, and a 405 the <see cref="AllowedMethods"/>.
/// </summary>
/// <remarks>
/// Immutable and shared: the ping answer, the empty ones and each run's status answer are made once. A HEAD request
/// gets the same answer; its writer sends the headers (Content-Length included) without the body. No answer carries
/// anything that is not set here (no cookies, no exception text).
/// </remarks>
internal sealed class HealthAnswer
{
    /// <summary>The Cache-Control of every answer: a probe must never see a cached one.</summary>
    public const string CacheControl = "no-store, no-cache";

    /// <summary>The X-Content-Type-Options of every answer.</summary>
    public const string ContentTypeOptions = "nosniff";

    /// <summary>The Allow header of a 405.</summary>
    public const string AllowedMethods = "GET, HEAD";

    public const string Json = "application/json";
    public const string Text = "text/plain; charset=utf-8";

    /// <summary>Not a health path: nothing to write, the app answers.</summary>
    public static readonly HealthAnswer NotMine = new(0, null, Array.Empty<byte>());

    /// <summary>An empty 404: an unknown check name, or a client outside the allowed networks.</summary>
    public static readonly HealthAnswer NotFound = new(404, null, Array.Empty<byte>());

    /// <summary>An empty 405 that lists the <see cref="AllowedMethods"/>.</summary>
    public static readonly HealthAnswer MethodNotAllowed = new(405, null, Array.Empty<byte>());

    /// <summary>An empty 500: a metrics page that failed; why is in the log, never in the answer.</summary>
    public static readonly HealthAnswer ServerError = new(500, null, Array.Empty<byte>());

    public HealthAnswer(int statusCode, string? contentType, byte[] body)
    {
        StatusCode = statusCode;
        BoxedStatusCode = BoxedStatus.For(statusCode);
        ContentType = contentType;
        Body = body;
        ContentLength = body.Length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>0 for <see cref="NotMine"/>, else the HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary><see cref="StatusCode"/> boxed once, for <c>owin.ResponseStatusCode</c>.</summary>
    public object BoxedStatusCode { get; }

    /// <summary>The Content-Type, or <see langword="null"/> for an empty answer.</summary>
    public string? ContentType { get; }

    public byte[] Body { get; }

    /// <summary>The body length, formatted for the Content-Length header (also sent with HEAD).</summary>
    public string ContentLength { get; }

    /// <summary>A rendered body: 200 when healthy, else 503.</summary>
    public static HealthAnswer Rendered(bool healthy, string contentType, byte[] body) => new(healthy ? 200 : 503, contentType, body);
}

/// <summary>
/// The status codes the library answers with, boxed once: <c>owin.ResponseStatusCode</c> and the metrics' status tag
/// take an object, and boxing per request would allocate on every answer.
/// </summary>
internal static class BoxedStatus
{
    public static readonly object Ok = 200;
    public static readonly object NotFound = 404;
    public static readonly object MethodNotAllowed = 405;
    public static readonly object InternalServerError = 500;
    public static readonly object ServiceUnavailable = 503;

    public static object For(int statusCode) => statusCode switch
    {
        200 => Ok,
        404 => NotFound,
        405 => MethodNotAllowed,
        500 => InternalServerError,
        503 => ServiceUnavailable,
        _ => statusCode,
    };
}
