using System;
using System.Collections.Generic;
using System.Globalization;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>How the response body goes on the wire; the host decides it, never the app's headers.</summary>
internal enum BodyFraming
{
    /// <summary>No body: HEAD, 204, 304. Whatever the app writes is discarded.</summary>
    None,

    /// <summary>Exactly <see cref="ResponseHead.ContentLength"/> bytes.</summary>
    ContentLength,

    /// <summary>Chunked (HTTP/1.1), or delimited by closing the connection (HTTP/1.0).</summary>
    Streamed,
}

/// <summary>
/// The status line and framing of a response, checked once before anything is sent: what the app asked for, made
/// safe for the wire. Nothing the app sets can split the response or frame it twice.
/// </summary>
/// <remarks>
/// The rules: a final status is 200-599 (1xx are interim; 101 would need an upgrade, which these hosts do not
/// offer); the reason phrase and every header name and value are free of CR, LF and other control characters, and
/// are ASCII (a non-ASCII character has no agreed encoding on the wire: HttpListener would send UTF-8, Kestrel
/// refuses it, a client may read Latin-1; the app encodes it, as RFC 8187 or percent-encoding do);
/// <c>Transfer-Encoding</c> and <c>Content-Length</c> are the host's: an app's <c>chunked</c> asks for a streamed
/// body (any other transfer coding cannot be honoured), an app's length must match what it writes and is dropped
/// when it also asks for chunked (RFC 9112 §6.3), and a 204 or 304 sends neither. Anything else is an
/// <see cref="InvalidResponseException"/>, which the host answers with an empty 500.
/// </remarks>
internal readonly struct ResponseHead
{
    private ResponseHead(int statusCode, string? reasonPhrase, BodyFraming framing, long contentLength, bool keepAlive)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Framing = framing;
        ContentLength = contentLength;
        KeepAlive = keepAlive;
    }

    public int StatusCode { get; }

    /// <summary>The app's phrase, or null for the standard one.</summary>
    public string? ReasonPhrase { get; }

    public BodyFraming Framing { get; }

    /// <summary>The body's length with <see cref="BodyFraming.ContentLength"/>, or the length a HEAD answer declares (-1: none).</summary>
    public long ContentLength { get; }

    /// <summary>False when the app asked for <c>Connection: close</c>.</summary>
    public bool KeepAlive { get; }

    /// <summary>The headers the transport sends as they are: everything but the framing and connection headers.</summary>
    public static bool IsPassedThrough(string name) =>
        !Is(name, "Content-Length") && !Is(name, "Transfer-Encoding") && !Is(name, "Connection") && !Is(name, "Keep-Alive");

    /// <summary>Checks what the app set and decides the framing.</summary>
    /// <param name="statusCode">The app's <c>owin.ResponseStatusCode</c>, or null when it set none.</param>
    /// <param name="reasonPhrase">The app's <c>owin.ResponseReasonPhrase</c>, or null when it set none.</param>
    /// <param name="headers">The app's response headers.</param>
    /// <param name="isHead">The request is HEAD: the body is counted, never sent.</param>
    /// <param name="knownLength">The whole body's length when the app has finished writing, else null.</param>
    /// <exception cref="InvalidResponseException">The app's status, phrase or headers cannot go out as set.</exception>
    public static ResponseHead Decide(object? statusCode, object? reasonPhrase, Dictionary<string, string[]> headers, bool isHead, long? knownLength)
    {
        var status = statusCode is int value ? value : 200;
        if (status is < 200 or > 599)
        {
            throw new InvalidResponseException(status is >= 100 and <= 199
                ? $"The app set status {status}: 1xx is interim, not a final status, and 101 needs an upgrade this host does not offer."
                : $"The app set status {status}, outside 200-599.");
        }

        string? phrase = null;
        if (reasonPhrase is string text && text.Length > 0)
        {
            if (IndexOfControl(text) >= 0)
            {
                throw new InvalidResponseException("The app's reason phrase contains a control character or a non-ASCII character.");
            }

            phrase = text;
        }

        long? declaredLength = null;
        var chunked = false;
        var keepAlive = true;
        foreach (var header in headers)
        {
            CheckHeader(header.Key, header.Value);
            if (header.Value is not { Length: > 0 } values)
            {
                continue;
            }

            if (Is(header.Key, "Content-Length"))
            {
                declaredLength = ParseLength(values);
            }
            else if (Is(header.Key, "Transfer-Encoding"))
            {
                chunked = IsChunkedOnly(values);
            }
            else if (Is(header.Key, "Connection") && string.Join(",", values).IndexOf("close", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                keepAlive = false;
            }
        }

        if (status is 204 or 304)
        {
            return new ResponseHead(status, phrase, BodyFraming.None, -1, keepAlive);
        }

        if (!chunked && !isHead && declaredLength is long declared && knownLength is long written && declared != written)
        {
            throw new InvalidResponseException($"The app declared a Content-Length of {declared} and wrote {written} byte(s).");
        }

        var length = chunked ? null : declaredLength ?? knownLength;
        if (isHead)
        {
            return new ResponseHead(status, phrase, BodyFraming.None, length ?? -1, keepAlive);
        }

        return length is long exact
            ? new ResponseHead(status, phrase, BodyFraming.ContentLength, exact, keepAlive)
            : new ResponseHead(status, phrase, BodyFraming.Streamed, -1, keepAlive);
    }

    private static void CheckHeader(string name, string[]? values)
    {
        if (name is null || name.Length == 0)
        {
            throw new InvalidResponseException("The app set a response header with an empty name.");
        }

        foreach (var c in name)
        {
            if (!IsTokenChar(c))
            {
                throw new InvalidResponseException("The app set a response header whose name is not an HTTP token.");
            }
        }

        if (values is null)
        {
            return;
        }

        foreach (var value in values)
        {
            if (value is not null && IndexOfControl(value) >= 0)
            {
                throw new InvalidResponseException($"The app's response header '{name}' contains a control character or a non-ASCII character.");
            }
        }
    }

    private static long ParseLength(string[] values)
    {
        if (values.Length != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new InvalidResponseException("The app set a Content-Length that is not one non-negative integer.");
        }

        return length;
    }

    private static bool IsChunkedOnly(string[] values)
    {
        var codings = string.Join(",", values).Split(',');
        var chunked = false;
        foreach (var coding in codings)
        {
            var name = coding.Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!Is(name, "chunked") || chunked)
            {
                throw new InvalidResponseException("The app set a Transfer-Encoding other than chunked; the host frames the body and applies no other transfer coding.");
            }

            chunked = true;
        }

        return chunked;
    }

    // HTAB is allowed in a field value and a reason phrase; every other C0 control, DEL and anything past ASCII is not.
    private static int IndexOfControl(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c < ' ' && c != '\t') || c >= '\u007f')
            {
                return i;
            }
        }

        return -1;
    }

    // RFC 9110 §5.6.2: tchar.
    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
}
