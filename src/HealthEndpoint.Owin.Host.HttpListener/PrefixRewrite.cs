using System;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>Maps the prefixes people write to ones the managed HttpListener accepts, or refuses them saying what to write.</summary>
internal static class PrefixRewrite
{
    /// <summary>
    /// <c>http://0.0.0.0:port/</c> (every IPv4 address, as Kestrel and most servers read it) becomes
    /// <c>http://+:port/</c>, which HttpListener binds the same way; it fails to start on 0.0.0.0 with "The request
    /// is not supported". IPv6 literals are refused on Linux and macOS, whose HttpListener rejects them ("Invalid
    /// port in prefix"); http.sys on Windows takes them as written.
    /// </summary>
    /// <exception cref="ArgumentException">An IPv6 literal on Linux or macOS.</exception>
    public static string Map(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var schemeEnd = prefix.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return prefix;
        }

        var hostStart = schemeEnd + 3;
        if (string.CompareOrdinal(prefix, hostStart, "0.0.0.0", 0, 7) == 0 && prefix.Length > hostStart + 7 && prefix[hostStart + 7] is ':' or '/')
        {
            return string.Concat(prefix.AsSpan(0, hostStart), "+", prefix.AsSpan(hostStart + 7));
        }

        if (prefix.Length > hostStart && prefix[hostStart] == '[' && !OperatingSystem.IsWindows())
        {
            var port = prefix.IndexOf("]:", hostStart, StringComparison.Ordinal) is var close and > 0
                ? prefix.Substring(close + 2).TrimEnd('/').Split('/')[0]
                : "80";
            throw new ArgumentException(
                $"The prefix '{prefix}' names an IPv6 address, which HttpListener cannot listen on here (Linux, macOS): write http://+:{port}/ for every IPv4 address or http://127.0.0.1:{port}/ for loopback, or use the Kestrel host, which listens on IPv6.",
                nameof(prefix));
        }

        return prefix;
    }
}
