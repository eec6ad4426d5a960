using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint.Compare;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>The micro benchmarks' request environment, and a timed block of requests on it.</summary>
internal static class OwinEnvironment
{
    private const string StatusCodeKey = "owin.ResponseStatusCode";
    private const string ResponseHeadersKey = "owin.ResponseHeaders";

    /// <summary>A GET of <paramref name="path"/>, shaped like the HttpListener host's environment.</summary>
    public static Dictionary<string, object> Create(string path) => new(32, StringComparer.Ordinal)
    {
        ["owin.Version"] = "1.0",
        ["owin.CallCancelled"] = CancellationToken.None,
        ["owin.RequestMethod"] = "GET",
        ["owin.RequestScheme"] = "http",
        ["owin.RequestPathBase"] = string.Empty,
        ["owin.RequestPath"] = path,
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

    public static int? StatusCode(Dictionary<string, object> environment) =>
        environment.TryGetValue(StatusCodeKey, out var value) ? value as int? : null;

    /// <summary>Mean nanoseconds per request over <paramref name="count"/> requests, each after undoing the last response.</summary>
    public static double TimeRequests(AppFunc invoke, Dictionary<string, object> environment, int count)
    {
        var headers = (Dictionary<string, string[]>)environment[ResponseHeadersKey];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            headers.Clear();
            environment.Remove(StatusCodeKey);
            invoke(environment);
        }

        return clock.Elapsed.TotalNanoseconds / count;
    }
}
