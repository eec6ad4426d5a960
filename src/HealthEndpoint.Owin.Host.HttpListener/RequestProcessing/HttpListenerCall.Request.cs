using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>
/// The request half of a call: the facts the core needs from <see cref="HttpListenerRequest"/>, and the header
/// lines as the client sent them (from the raw head when <see cref="ManagedListenerInternals"/> has it, else from
/// HttpListener's own collection, which keeps one value per name).
/// </summary>
internal sealed partial class HttpListenerCall
{
    private static RequestFacts Facts(HttpListenerRequest request, IReadOnlyList<string> hostHeaders) => new(
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
        request.IsLocal,
        request.RawUrl ?? string.Empty,
        hostHeaders);

    private static long? DeclaredLength(HttpListenerRequest request) =>
        request.ContentLength64 >= 0 && request.Headers["Transfer-Encoding"] is null ? request.ContentLength64 : null;

    private static string QueryString(Uri? url)
    {
        var query = url?.Query;
        return string.IsNullOrEmpty(query) ? string.Empty : query!.Substring(1);
    }

    protected override IDictionary<string, string[]> CopyRequestHeaders()
    {
        if (_headerLines is { } lines)
        {
            return Group(lines);
        }

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

    private static Dictionary<string, string[]> Group(List<KeyValuePair<string, string>> lines)
    {
        var headers = new Dictionary<string, string[]>(lines.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            headers[line.Key] = headers.TryGetValue(line.Key, out var earlier) ? [.. earlier, line.Value] : [line.Value];
        }

        return headers;
    }

    private List<string> HostHeaders(HttpListenerRequest request)
    {
        var hosts = new List<string>();
        if (_headerLines is { } lines)
        {
            foreach (var line in lines)
            {
                if (string.Equals(line.Key, "Host", StringComparison.OrdinalIgnoreCase))
                {
                    hosts.Add(line.Value);
                }
            }
        }
        else if (request.Headers["Host"] is { } host)
        {
            hosts.Add(host);
        }

        return hosts;
    }
}
