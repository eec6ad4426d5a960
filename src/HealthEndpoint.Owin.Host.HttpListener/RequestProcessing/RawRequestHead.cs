using System;
using System.Collections.Generic;
using System.Text;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>
/// The header lines of a request head as the client sent them, in order: the managed HttpListener keeps only the
/// last value of a repeated name (two Cookie lines become one), so the host reads them again from the raw head.
/// </summary>
internal static class RawRequestHead
{
    /// <summary>
    /// Splits <paramref name="head"/> into header lines, after checking that it is the head HttpListener parsed:
    /// its request line is <paramref name="method"/> and <paramref name="rawTarget"/>, and it ends with the empty line.
    /// </summary>
    /// <returns>Every header line's name and value (trimmed), in order; null when the bytes are not that head.</returns>
    public static List<KeyValuePair<string, string>>? Parse(ArraySegment<byte> head, string method, string rawTarget)
    {
        // HttpListener reads header bytes as Latin-1 too: one char per byte.
        var text = Encoding.Latin1.GetString(head.AsSpan());
        var lines = text.Split('\n');
        var at = 0;
        while (at < lines.Length && lines[at].TrimEnd('\r').Length == 0)
        {
            at++; // Empty lines before the request line are skipped, as HttpListener skips them.
        }

        if (at >= lines.Length || !lines[at].StartsWith(method + " " + rawTarget + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        for (at++; at < lines.Length; at++)
        {
            var line = lines[at].TrimEnd('\r');
            if (line.Length == 0)
            {
                // The empty line ends the head; only the split's empty remainder may follow it.
                return at == lines.Length - 2 && lines[^1].Length == 0 ? headers : null;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] is ' ' or '\t')
            {
                return null;
            }

            headers.Add(new KeyValuePair<string, string>(line.Substring(0, colon).Trim(), line.Substring(colon + 1).Trim()));
        }

        return null;
    }
}
