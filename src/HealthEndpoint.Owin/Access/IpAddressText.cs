using System;
using System.Net;
using System.Net.Sockets;

namespace HealthEndpoint.Owin;

/// <summary>Strict parsing of one IP address in its plain text form, for access settings and forwarded headers.</summary>
/// <remarks>
/// <see cref="IPAddress.TryParse(string, out IPAddress)"/> also accepts forms that read differently elsewhere or
/// that no proxy writes: <c>10.1</c> (10.0.0.1), <c>0x0a.0.0.1</c>, <c>010.0.0.1</c> (octal, 8.0.0.1), and a
/// bracketed address with a port, <c>[::1]:80</c>. An access rule must mean the same thing to every reader, so here
/// IPv4 is exactly four decimal octets without leading zeros (as Python's <c>ipaddress</c> requires) and IPv6 is
/// the RFC 4291 text form, optionally ending in a dotted quad, never bracketed. A zone (<c>fe80::1%eth0</c>) is
/// accepted only where the caller allows it, and dropped: addresses are compared by their bytes alone.
/// </remarks>
internal static class IpAddressText
{
    /// <summary>Parses <paramref name="length"/> characters of <paramref name="text"/> from <paramref name="start"/>.</summary>
    /// <param name="text">The text that holds the address.</param>
    /// <param name="start">Index of the address's first character.</param>
    /// <param name="length">Number of characters; no surrounding whitespace is skipped.</param>
    /// <param name="allowZone">Whether an IPv6 zone suffix (<c>%eth0</c>, <c>%2</c>) is accepted (and dropped).</param>
    /// <returns>The address, or <see langword="null"/> when the text is not one strictly valid address.</returns>
    public static IPAddress? Parse(string text, int start, int length, bool allowZone)
    {
        if (length <= 0 || start < 0 || start > text.Length - length)
        {
            return null;
        }

        return text.IndexOf(':', start, length) < 0
            ? ParseIPv4(text, start, start + length)
            : ParseIPv6(text, start, start + length, allowZone);
    }

    private static IPAddress? ParseIPv4(string text, int start, int end)
    {
        var bytes = new byte[4];
        var count = 0;
        var value = 0;
        var digits = 0;
        for (var i = start; i <= end; i++)
        {
            if (i == end || text[i] == '.')
            {
                if (digits == 0 || count == 4)
                {
                    return null;
                }

                bytes[count++] = (byte)value;
                value = 0;
                digits = 0;
                continue;
            }

            var c = text[i];
            if (c < '0' || c > '9' || (digits > 0 && value == 0))
            {
                return null;
            }

            value = (value * 10) + (c - '0');
            digits++;
            if (value > 255)
            {
                return null;
            }
        }

        return count == 4 ? new IPAddress(bytes) : null;
    }

    private static IPAddress? ParseIPv6(string text, int start, int end, bool allowZone)
    {
        var zone = text.IndexOf('%', start, end - start);
        if (zone >= 0)
        {
            if (!allowZone || zone == end - 1)
            {
                return null;
            }

            end = zone;
        }

        // Only hex digits, colons and the dots of a trailing dotted quad: this keeps out the brackets, ports and
        // whitespace that IPAddress.TryParse would quietly accept.
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (!(c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F') or ':' or '.'))
            {
                return null;
            }
        }

#if NETSTANDARD2_0
        var parsed = IPAddress.TryParse(text.Substring(start, end - start), out var address);
#else
        var parsed = IPAddress.TryParse(text.AsSpan(start, end - start), out var address);
#endif
        return parsed && address!.AddressFamily == AddressFamily.InterNetworkV6 ? address : null;
    }
}
