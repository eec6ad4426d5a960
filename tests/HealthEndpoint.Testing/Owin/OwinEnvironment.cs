using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace HealthEndpoint.Owin.Testing;

/// <summary>Builds plain OWIN environment dictionaries, as a server would, and reads the response back.</summary>
public static class OwinEnvironment
{
    /// <summary>A request environment with empty response headers and a recording body stream.</summary>
    public static Dictionary<string, object> Create(string method, string path, string pathBase = "", string queryString = "")
    {
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["owin.Version"] = "1.0",
            ["owin.RequestMethod"] = method,
            ["owin.RequestScheme"] = "http",
            ["owin.RequestPathBase"] = pathBase,
            ["owin.RequestPath"] = path,
            ["owin.RequestQueryString"] = queryString,
            ["owin.RequestProtocol"] = "HTTP/1.1",
            ["owin.RequestHeaders"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["Host"] = ["localhost"] },
            ["owin.RequestBody"] = Stream.Null,
            ["owin.ResponseHeaders"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase),
            ["owin.ResponseBody"] = new MemoryStream(),
            ["owin.CallCancelled"] = CancellationToken.None,
        };
    }

    /// <summary>The response status code; OWIN's default is 200 when nothing set it.</summary>
    public static int StatusCode(this IDictionary<string, object> environment) =>
        environment.TryGetValue("owin.ResponseStatusCode", out var code) ? (int)code : 200;

    /// <summary>The response headers.</summary>
    public static IDictionary<string, string[]> ResponseHeaders(this IDictionary<string, object> environment) =>
        (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];

    /// <summary>One response header joined with ", ", or null when absent.</summary>
    public static string? ResponseHeader(this IDictionary<string, object> environment, string name) =>
        environment.ResponseHeaders().TryGetValue(name, out var values) ? string.Join(", ", values) : null;

    /// <summary>Every byte written to the response body.</summary>
    public static byte[] ResponseBodyBytes(this IDictionary<string, object> environment) =>
        ((MemoryStream)environment["owin.ResponseBody"]).ToArray();

    /// <summary>The response body as UTF-8 text.</summary>
    public static string ResponseBodyText(this IDictionary<string, object> environment) =>
        System.Text.Encoding.UTF8.GetString(environment.ResponseBodyBytes());
}
