using System;
using System.Collections.Generic;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The request heads both hosts refuse with 400 before the app runs, decided once here so that the two hosts answer
/// the same: heads that a proxy in front and this server could read two ways.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>More than one Host header (RFC 9112 §3.2): which one names the site is a guess; Kestrel refuses it.</item>
/// <item>
/// A raw backslash in the target: not allowed in a URI (RFC 3986), and read as '/' by HttpListener, browsers and some
/// proxies but as a name character by Kestrel, so <c>/healthz\ping</c> would be a health path on one host and not on
/// the other, or not on the proxy's allowlist. An encoded backslash (<c>%5C</c>) stays a character of the path.
/// </item>
/// <item>
/// An absolute-form target whose authority is not the Host header: RFC 9112 §3.2.2 says to take the target's, a
/// proxy may have routed by the header; Kestrel refuses the mismatch.
/// </item>
/// </list>
/// </remarks>
internal static class RequestHeadCheck
{
    /// <summary>Why the head is refused, for the log; null when it is accepted.</summary>
    /// <param name="rawTarget">The request target exactly as sent.</param>
    /// <param name="hostHeaders">Every Host header line's value, in order (empty: none).</param>
    public static string? Problem(string rawTarget, IReadOnlyList<string> hostHeaders)
    {
        if (hostHeaders.Count > 1)
        {
            return "more than one Host header";
        }

        if (rawTarget.IndexOf('\\') >= 0)
        {
            return "a backslash in the request target";
        }

        if (AbsoluteFormAuthority(rawTarget) is { } authority
            && (hostHeaders.Count == 0 || !string.Equals(authority, hostHeaders[0].Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return "an absolute-form target whose authority is not the Host header";
        }

        return null;
    }

    // "http://host:port/path" -> "host:port"; null for the origin form ("/path") and anything else.
    private static string? AbsoluteFormAuthority(string target)
    {
        var schemeEnd = target.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || target[0] == '/')
        {
            return null;
        }

        var start = schemeEnd + 3;
        var end = target.IndexOfAny(['/', '?', '#'], start);
        return end < 0 ? target.Substring(start) : target.Substring(start, end - start);
    }
}
