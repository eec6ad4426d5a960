using System;
using System.Net;
using System.Net.Sockets;

namespace HealthEndpoint.Owin;

/// <summary>Parsing one entry of the <c>X-Forwarded-For</c> request header.</summary>
/// <remarks>
/// An entry is one address, with optional spaces or tabs around it: <c>203.0.113.7</c>, <c>2001:db8::7</c>,
/// <c>203.0.113.7:51234</c> or <c>[2001:db8::7]:51234</c> (the port is checked, 0–65535, and dropped), or
/// <c>[2001:db8::7]</c>. Anything else is malformed: an empty entry (<c>a,,b</c>, a trailing comma, an empty
/// header), <c>unknown</c> and the obfuscated identifiers of RFC 7239, host names, quotes, zones, and an IPv6
/// address with a port but no brackets (it cannot be told from an address).
/// </remarks>
internal static class ForwardedFor
{
    public const string HeaderName = "X-Forwarded-For";

    /// <summary>Parses the entry between <paramref name="start"/> and <paramref name="end"/> (exclusive).</summary>
    /// <param name="value">One header value, possibly a comma-separated list.</param>
    /// <param name="start">Index of the entry's first character (after the previous comma).</param>
    /// <param name="end">Index just past the entry (its comma, or the end of the value).</param>
    /// <returns>The address, or <see langword="null"/> when the entry is malformed.</returns>
    public static IPAddress? ParseEntry(string value, int start, int end)
    {
        while (start < end && value[start] is ' ' or '\t')
        {
            start++;
        }

        while (end > start && value[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (start == end)
        {
            return null;
        }

        if (value[start] == '[')
        {
            var close = value.IndexOf(']', start, end - start);
            if (close < 0 || (close + 1 < end && !IsPort(value, close + 1, end)))
            {
                return null;
            }

            var bracketed = IpAddressText.Parse(value, start + 1, close - start - 1, allowZone: false);
            return bracketed?.AddressFamily == AddressFamily.InterNetworkV6 ? bracketed : null;
        }

        // One colon can only be an IPv4 address and its port; two or more make a bare IPv6 address.
        var colon = value.IndexOf(':', start, end - start);
        if (colon >= 0 && value.IndexOf(':', colon + 1, end - colon - 1) < 0)
        {
            return IsPort(value, colon, end) ? IpAddressText.Parse(value, start, colon - start, allowZone: false) : null;
        }

        return IpAddressText.Parse(value, start, end - start, allowZone: false);
    }

    // ":" then 1–5 decimal digits, at most 65535, ending at `end`.
    private static bool IsPort(string value, int colon, int end)
    {
        var digits = end - colon - 1;
        if (value[colon] != ':' || digits is < 1 or > 5)
        {
            return false;
        }

        var port = 0;
        for (var i = colon + 1; i < end; i++)
        {
            var c = value[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= 65535;
    }
}
