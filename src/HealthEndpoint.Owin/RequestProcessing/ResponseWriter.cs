using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>Writes health responses: ping, status, a rendered answer (text or health+json), 404 and 405.</summary>
/// <remarks>
/// Bodies and boxed status codes are built once. Header values are new arrays for every response, because
/// the OWIN contract lets anything downstream of us (a server, an outer middleware) change them in place.
/// No response ever carries Set-Cookie, exception text or anything else that is not written here.
/// </remarks>
internal static class ResponseWriter
{
    /// <summary>The Cache-Control of every answer the library writes: a probe must never see a cached one.</summary>
    internal const string NoStore = "no-store, no-cache";
    private const string NoSniff = "nosniff";

    private static readonly byte[] PongBody = Encoding.ASCII.GetBytes("pong");

    public static Task WritePingAsync(IDictionary<string, object> environment, bool includeBody)
    {
        environment[OwinKeys.ResponseStatusCode] = BoxedStatus.Ok;
        var headers = ResponseHeaders(environment);
        headers["Content-Type"] = new[] { "text/plain; charset=utf-8" };
        headers["Content-Length"] = new[] { "4" };
        AddNoCacheHeaders(headers);
        return includeBody ? WriteBodyAsync(environment, PongBody) : Task.CompletedTask;
    }

    public static Task WriteStatusAsync(IDictionary<string, object> environment, StatusBody status, bool includeBody)
    {
        environment[OwinKeys.ResponseStatusCode] = status.Healthy ? BoxedStatus.Ok : BoxedStatus.ServiceUnavailable;
        var headers = ResponseHeaders(environment);
        headers["Content-Type"] = new[] { "application/json" };
        headers["Content-Length"] = new[] { status.ContentLength };
        AddNoCacheHeaders(headers);
        return includeBody ? WriteBodyAsync(environment, status.Bytes) : Task.CompletedTask;
    }

    /// <summary>A rendered answer: 200 when healthy, else 503.</summary>
    public static Task WriteAsync(IDictionary<string, object> environment, bool healthy, string contentType, byte[] body, bool includeBody)
    {
        environment[OwinKeys.ResponseStatusCode] = healthy ? BoxedStatus.Ok : BoxedStatus.ServiceUnavailable;
        var headers = ResponseHeaders(environment);
        headers["Content-Type"] = new[] { contentType };
        headers["Content-Length"] = new[] { body.Length.ToString(CultureInfo.InvariantCulture) };
        AddNoCacheHeaders(headers);
        return includeBody ? WriteBodyAsync(environment, body) : Task.CompletedTask;
    }

    /// <summary>An empty 404: for unknown check names and for clients outside the allowed networks.</summary>
    public static Task WriteNotFoundAsync(IDictionary<string, object> environment)
    {
        environment[OwinKeys.ResponseStatusCode] = BoxedStatus.NotFound;
        var headers = ResponseHeaders(environment);
        headers["Content-Length"] = new[] { "0" };
        AddNoCacheHeaders(headers);
        return Task.CompletedTask;
    }

    /// <summary>An empty 500: a metrics page that failed; why is in the log, never in the response.</summary>
    public static Task WriteServerErrorAsync(IDictionary<string, object> environment)
    {
        environment[OwinKeys.ResponseStatusCode] = BoxedStatus.InternalServerError;
        var headers = ResponseHeaders(environment);
        headers["Content-Length"] = new[] { "0" };
        AddNoCacheHeaders(headers);
        return Task.CompletedTask;
    }

    public static Task WriteMethodNotAllowedAsync(IDictionary<string, object> environment)
    {
        environment[OwinKeys.ResponseStatusCode] = BoxedStatus.MethodNotAllowed;
        var headers = ResponseHeaders(environment);
        headers["Allow"] = new[] { "GET, HEAD" };
        headers["Content-Length"] = new[] { "0" };
        AddNoCacheHeaders(headers);
        return Task.CompletedTask;
    }

    private static void AddNoCacheHeaders(IDictionary<string, string[]> headers)
    {
        headers["Cache-Control"] = new[] { NoStore };
        headers["X-Content-Type-Options"] = new[] { NoSniff };
    }

    private static IDictionary<string, string[]> ResponseHeaders(IDictionary<string, object> environment) =>
        (IDictionary<string, string[]>)environment[OwinKeys.ResponseHeaders];

    // No owin.CallCancelled for the write: every body here is small and complete, a server buffers it, and one that
    // loses the client fails the write anyway. Reading the token would make a host that creates it on demand (this
    // project's) pay a cancellation source on every probe.
    private static Task WriteBodyAsync(IDictionary<string, object> environment, byte[] body)
    {
        var stream = (Stream)environment[OwinKeys.ResponseBody];
        return stream.WriteAsync(body, 0, body.Length);
    }
}
