using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace HealthEndpoint.Owin.Benchmarking;

/// <summary>
/// The OWIN environment every micro benchmark sends (compiled into HealthEndpoint.Owin.Benchmarks and
/// HealthEndpoint.Owin.Compare, so that both measure the same request).
/// </summary>
/// <remarks>
/// Shaped like the environment of this repository's HttpListener host (OwinCall): an ordinal dictionary of about the
/// same keys, case-insensitive response headers, and a body stream whose writes complete at once.
/// </remarks>
internal static class BenchmarkEnvironment
{
    public const string RequestPathKey = "owin.RequestPath";
    public const string StatusCodeKey = "owin.ResponseStatusCode";
    public const string ResponseHeadersKey = "owin.ResponseHeaders";

    public static Dictionary<string, object> Create(string method, string path) => new(32, StringComparer.Ordinal)
    {
        ["owin.Version"] = "1.0",
        ["owin.CallCancelled"] = CancellationToken.None,
        ["owin.RequestMethod"] = method,
        ["owin.RequestScheme"] = "http",
        ["owin.RequestPathBase"] = string.Empty,
        [RequestPathKey] = path,
        ["owin.RequestQueryString"] = string.Empty,
        ["owin.RequestProtocol"] = "HTTP/1.1",
        ["owin.RequestHeaders"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["Host"] = ["127.0.0.1"] },
        ["owin.RequestBody"] = Stream.Null,
        [ResponseHeadersKey] = new Dictionary<string, string[]>(8, StringComparer.OrdinalIgnoreCase),
        ["owin.ResponseBody"] = Stream.Null,
        ["server.RemoteIpAddress"] = "127.0.0.1",
        ["server.RemotePort"] = "50000",
        ["server.LocalIpAddress"] = "127.0.0.1",
        ["server.LocalPort"] = "8080",
        ["server.IsLocal"] = true,
    };

    /// <summary>Undoes a health response (status code, headers) so that the next request starts clean; allocates nothing.</summary>
    public static void ResetResponse(Dictionary<string, object> environment)
    {
        ((Dictionary<string, string[]>)environment[ResponseHeadersKey]).Clear();
        environment.Remove(StatusCodeKey);
    }
}
