using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// Everything a server sent on one connection, split into the responses a client would read from it: a reason
/// phrase or a body that smuggles in a second status line shows up as a second response (or as bytes no response
/// explains), where <see cref="RawHttpConnection.ReadResponseAsync"/> would take it for a body or time out.
/// </summary>
internal sealed class WireTranscript
{
    /// <summary>How long a silence ends the server's turn.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private readonly byte[] _bytes;

    private WireTranscript(byte[] bytes, IReadOnlyList<RawHttpResponse> responses, string unparsed)
    {
        _bytes = bytes;
        Responses = responses;
        Unparsed = unparsed;
    }

    /// <summary>Every whole response, in order.</summary>
    public IReadOnlyList<RawHttpResponse> Responses { get; }

    /// <summary>The first response, or null when none could be read.</summary>
    public RawHttpResponse? First => Responses.Count > 0 ? Responses[0] : null;

    /// <summary>The bytes after the last whole response that are not a response (Latin-1): stray body bytes, a broken frame.</summary>
    public string Unparsed { get; }

    /// <summary>How many lines anywhere in what was sent start like a status line, bodies included.</summary>
    public int StatusLineCount => Text.Split('\n').Count(line => line.StartsWith("HTTP/1.", StringComparison.Ordinal));

    private string Text => Encoding.Latin1.GetString(_bytes);

    /// <summary>Sends <paramref name="request"/> and reads until the server closes the connection or is quiet for <see cref="Quiet"/>.</summary>
    public static async Task<WireTranscript> ExchangeAsync(RawHttpConnection connection, string request, bool head = false)
    {
        await connection.SendAsync(request);
        return Parse(await connection.ReadUntilQuietAsync(Quiet), head);
    }

    /// <summary>Reads what the server sends until it closes the connection or is quiet for <see cref="Quiet"/>.</summary>
    public static async Task<WireTranscript> ReadAsync(RawHttpConnection connection) =>
        Parse(await connection.ReadUntilQuietAsync(Quiet), head: false);

    /// <summary>Splits <paramref name="bytes"/> into responses; <paramref name="head"/> says the first answers a HEAD request.</summary>
    public static WireTranscript Parse(byte[] bytes, bool head)
    {
        var responses = new List<RawHttpResponse>();
        var position = 0;
        while (position < bytes.Length && TryParseOne(bytes, ref position, head && responses.Count == 0) is { } response)
        {
            responses.Add(response);
        }

        return new WireTranscript(bytes, responses, Encoding.Latin1.GetString(bytes, position, bytes.Length - position));
    }

    /// <summary>The bytes as text with CR and LF made visible, for failure messages.</summary>
    public override string ToString() => Text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static RawHttpResponse? TryParseOne(byte[] bytes, ref int position, bool head)
    {
        var at = position;
        var statusLine = ReadLine(bytes, ref at);
        if (statusLine is null || !statusLine.StartsWith("HTTP/", StringComparison.Ordinal) || statusLine.Split(' ').Length < 2
            || !int.TryParse(statusLine.Split(' ')[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        for (var line = ReadLine(bytes, ref at); line is not { Length: 0 }; line = ReadLine(bytes, ref at))
        {
            var colon = line?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (line is null || colon <= 0)
            {
                return null;
            }

            headers.Add(new KeyValuePair<string, string>(line[..colon], line[(colon + 1)..].Trim()));
        }

        var framing = new RawHttpResponse(statusLine, headers, [], chunked: false);
        var chunked = framing.Values("Transfer-Encoding").Any(value => value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        var length = framing.Values("Content-Length");
        byte[]? body;
        if (head || status < 200 || status is 204 or 304)
        {
            body = [];
        }
        else if (chunked)
        {
            body = DecodeChunks(bytes, ref at);
        }
        else if (length.Count > 0)
        {
            body = int.TryParse(length[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && at + count <= bytes.Length
                ? bytes.AsSpan(at, count).ToArray()
                : null;
            at += body?.Length ?? 0;
        }
        else
        {
            body = bytes.AsSpan(at).ToArray();
            at = bytes.Length;
        }

        if (body is null)
        {
            return null;
        }

        position = at;
        return new RawHttpResponse(statusLine, headers, body, chunked && !(head || status < 200 || status is 204 or 304));
    }

    private static byte[]? DecodeChunks(byte[] bytes, ref int at)
    {
        var body = new List<byte>();
        while (true)
        {
            var sizeLine = ReadLine(bytes, ref at);
            if (sizeLine is null || !int.TryParse(sizeLine.Split(';')[0].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                return null;
            }

            if (size == 0)
            {
                for (var trailer = ReadLine(bytes, ref at); trailer is not { Length: 0 }; trailer = ReadLine(bytes, ref at))
                {
                    if (trailer is null)
                    {
                        return null;
                    }
                }

                return body.ToArray();
            }

            if (at + size > bytes.Length)
            {
                return null;
            }

            body.AddRange(bytes.AsSpan(at, size).ToArray());
            at += size;
            if (ReadLine(bytes, ref at) is not { Length: 0 })
            {
                return null;
            }
        }
    }

    // One CRLF-terminated line, or null when the bytes end first.
    private static string? ReadLine(byte[] bytes, ref int at)
    {
        var newline = Array.IndexOf(bytes, (byte)'\n', at);
        if (newline < 0)
        {
            return null;
        }

        var end = newline > at && bytes[newline - 1] == '\r' ? newline - 1 : newline;
        var line = Encoding.Latin1.GetString(bytes, at, end - at);
        at = newline + 1;
        return line;
    }
}
