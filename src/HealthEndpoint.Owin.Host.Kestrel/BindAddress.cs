using System;
using System.Globalization;
using System.Net;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Host.Kestrel;

/// <summary>What a URL prefix asks Kestrel to bind: an address (or loopback, or every address) and a port.</summary>
internal readonly record struct BindAddress(IPAddress? Address, bool Localhost, int Port)
{
    /// <summary>Parses <c>http://host:port/path/</c>; host is an IP address, <c>localhost</c>, <c>+</c> or <c>*</c>.</summary>
    /// <exception cref="ArgumentException">The prefix is not one Kestrel can bind as written.</exception>
    public static BindAddress Parse(string prefix)
    {
        const string Scheme = "http://";
        if (!prefix.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(prefix, prefix.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? "https needs a certificate; terminate TLS at the proxy and listen on http"
                : "it must start with http://");
        }

        var authorityEnd = prefix.IndexOf('/', Scheme.Length);
        var authority = authorityEnd < 0 ? prefix.Substring(Scheme.Length) : prefix.Substring(Scheme.Length, authorityEnd - Scheme.Length);
        var portSeparator = authority.LastIndexOf(':');
        var host = authority;
        var port = 80;
        if (portSeparator >= 0 && portSeparator > authority.LastIndexOf(']'))
        {
            host = authority.Substring(0, portSeparator);
            if (!int.TryParse(authority.AsSpan(portSeparator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw Invalid(prefix, "its port is not a number from 1 to 65535");
            }
        }

        if (host is "+" or "*")
        {
            return new BindAddress(null, Localhost: false, port);
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new BindAddress(null, Localhost: true, port);
        }

        var literal = host.StartsWith('[') && host.EndsWith(']') ? host.Substring(1, host.Length - 2) : host;
        if (host.Length > 0 && IPAddress.TryParse(literal, out var address) && (host != literal || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            return new BindAddress(address, Localhost: false, port);
        }

        throw Invalid(prefix, "Kestrel binds addresses, not host names: use an IP address (127.0.0.1, [::1], 0.0.0.0, [::]), localhost, or + for every address");
    }

    private static ArgumentException Invalid(string prefix, string reason) =>
        new($"The prefix '{prefix}' cannot be served by Kestrel: {reason}.", nameof(prefix));
}
