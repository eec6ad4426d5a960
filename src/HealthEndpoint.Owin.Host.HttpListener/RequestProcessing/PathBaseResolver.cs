using System;
using System.Collections.Generic;

namespace Owin.HealthEndpoint.Hosting;

/// <summary>Splits a request path into owin.RequestPathBase (the listener prefix's path) and owin.RequestPath.</summary>
internal sealed class PathBaseResolver
{
    private readonly string[] _bases;

    public PathBaseResolver(IEnumerable<string> prefixes)
    {
        var bases = new List<string>();
        foreach (var prefix in prefixes)
        {
            // "http://+:80/rt/" -> "/rt"; the host part may be + or * and is not a valid Uri, so cut by hand.
            var schemeEnd = prefix.IndexOf("://", StringComparison.Ordinal);
            var pathStart = prefix.IndexOf('/', schemeEnd < 0 ? 0 : schemeEnd + 3);
            var path = pathStart < 0 ? string.Empty : prefix.Substring(pathStart).TrimEnd('/');
            bases.Add(Uri.UnescapeDataString(path));
        }

        bases.Sort((left, right) => right.Length.CompareTo(left.Length));
        _bases = bases.ToArray();
    }

    /// <summary>Returns the longest prefix path that the request path lies under, and the rest.</summary>
    public (string PathBase, string Path) Split(string requestPath)
    {
        foreach (var pathBase in _bases)
        {
            if (pathBase.Length == 0)
            {
                break;
            }

            if (requestPath.StartsWith(pathBase, StringComparison.OrdinalIgnoreCase)
                && (requestPath.Length == pathBase.Length || requestPath[pathBase.Length] == '/'))
            {
                return (requestPath.Substring(0, pathBase.Length), requestPath.Substring(pathBase.Length));
            }
        }

        return (string.Empty, requestPath);
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
}
