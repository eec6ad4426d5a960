using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>One HTTP response exactly as it came off the socket: status line, header lines and body bytes.</summary>
internal sealed class RawHttpResponse
{
    public RawHttpResponse(string statusLine, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, bool chunked)
    {
        StatusLine = statusLine;
        Headers = headers;
        Body = body;
        IsChunked = chunked;
        var parts = statusLine.Split(' ', 3);
        StatusCode = parts.Length >= 2 && int.TryParse(parts[1], out var code)
            ? code
            : throw new FormatException($"Not an HTTP status line: '{statusLine}'.");
    }

    /// <summary>For example <c>HTTP/1.1 200 OK</c>.</summary>
    public string StatusLine { get; }

    public int StatusCode { get; }

    /// <summary>Every header line in order, names as sent, values trimmed.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body with any chunk framing removed.</summary>
    public byte[] Body { get; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>True when the body came with <c>Transfer-Encoding: chunked</c> framing.</summary>
    public bool IsChunked { get; }

    /// <summary>Header names in order, as sent.</summary>
    public IReadOnlyList<string> HeaderNames => Headers.Select(header => header.Key).ToArray();

    /// <summary>Every value of one header (one per header line), compared case-insensitively by name.</summary>
    public IReadOnlyList<string> Values(string name) =>
        Headers.Where(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            .Select(header => header.Value)
            .ToArray();

    /// <summary>The value of a header sent on exactly one line; null when absent.</summary>
    /// <exception cref="InvalidOperationException">The header was sent on more than one line.</exception>
    public string? Header(string name)
    {
        var values = Values(name);
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new InvalidOperationException($"Header {name} was sent {values.Count} times: {string.Join(" | ", values)}."),
        };
    }

    /// <summary>True when the server announced that it closes the connection after this response.</summary>
    public bool ClosesConnection =>
        Values("Connection").Any(value => value.Contains("close", StringComparison.OrdinalIgnoreCase));

    public override string ToString() =>
        StatusLine + " | " + string.Join(" | ", Headers.Select(header => header.Key + ": " + header.Value)) + $" | body {Body.Length} bytes";
}
