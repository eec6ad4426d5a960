using System;
using System.Collections.Generic;
using System.Globalization;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The server's URL prefixes by port: which requests they admit, and the split of a request path into
/// <c>owin.RequestPathBase</c> (the prefix's path) and <c>owin.RequestPath</c>.
/// </summary>
/// <remarks>
/// A request is served only when its path lies under a prefix of the port it came in on, as HttpListener
/// enforces: with <c>http://+:80/app/</c>, <c>/env</c> is a 404 from the host and never reaches the app, and a path
/// base comes only from a prefix of the request's own port.
/// </remarks>
internal sealed class PrefixTable
{
    private readonly Dictionary<int, string[]> _basesByPort = new();

    public PrefixTable(IEnumerable<string> prefixes)
    {
        var bases = new Dictionary<int, List<string>>();
        foreach (var prefix in prefixes)
        {
            var (port, path) = Parse(prefix);
            if (!bases.TryGetValue(port, out var list))
            {
                bases[port] = list = [];
            }

            list.Add(path);
        }

        foreach (var entry in bases)
        {
            // Longest first: /app/admin wins over /app.
            entry.Value.Sort((left, right) => right.Length.CompareTo(left.Length));
            _basesByPort[entry.Key] = entry.Value.ToArray();
        }
    }

    /// <summary>Finds the longest prefix path of <paramref name="port"/> that <paramref name="requestPath"/> lies under.</summary>
    /// <returns>False when no prefix of that port admits the path.</returns>
    public bool TrySplit(int port, string requestPath, out string pathBase, out string path)
    {
        if (_basesByPort.TryGetValue(port, out var bases))
        {
            foreach (var candidate in bases)
            {
                if (candidate.Length == 0)
                {
                    (pathBase, path) = (string.Empty, requestPath);
                    return true;
                }

                if (requestPath.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)
                    && (requestPath.Length == candidate.Length || requestPath[candidate.Length] == '/'))
                {
                    (pathBase, path) = (requestPath.Substring(0, candidate.Length), requestPath.Substring(candidate.Length));
                    return true;
                }
            }
        }

        (pathBase, path) = (string.Empty, requestPath);
        return false;
    }

    /// <summary>
    /// The decoded path of a request URL. An encoded slash (%2F) stays encoded, so that it cannot split a
    /// segment in two after decoding.
    /// </summary>
    public static string DecodePath(string absolutePath)
    {
        if (absolutePath.IndexOf('%') < 0)
        {
            return absolutePath;
        }

        var protectedSlashes = absolutePath.Replace("%2F", "%252F").Replace("%2f", "%252f");
        return Uri.UnescapeDataString(protectedSlashes);
    }

    // "http://+:80/rt/" -> (80, "/rt"); the host part may be + or * and is not a valid Uri, so cut by hand.
    private static (int Port, string Path) Parse(string prefix)
    {
        var schemeEnd = prefix.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var pathStart = prefix.IndexOf('/', authorityStart);
        var authority = pathStart < 0 ? prefix.Substring(authorityStart) : prefix.Substring(authorityStart, pathStart - authorityStart);
        var path = pathStart < 0 ? string.Empty : prefix.Substring(pathStart).TrimEnd('/');
        var portSeparator = authority.LastIndexOf(':');
        var port = portSeparator > authority.LastIndexOf(']')
            && int.TryParse(authority.Substring(portSeparator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : prefix.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
        return (port, Uri.UnescapeDataString(path));
    }
}
