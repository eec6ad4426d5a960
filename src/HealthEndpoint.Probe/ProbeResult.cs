using System;

namespace HealthEndpoint.Probe;

/// <summary>What one GET brought back: a response (status, media type, body) or why there was none.</summary>
internal sealed class ProbeResult
{
    private ProbeResult(Uri url, TimeSpan elapsed)
    {
        Url = url;
        Elapsed = elapsed;
    }

    /// <summary>The URL requested.</summary>
    public Uri Url { get; }

    /// <summary>From sending the request to the end of the body (or to the failure).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The HTTP status code; <see langword="null"/> when no response arrived.</summary>
    public int? StatusCode { get; private init; }

    /// <summary>The media type of <c>Content-Type</c> without parameters, lowercase; <see langword="null"/> when absent.</summary>
    public string? MediaType { get; private init; }

    /// <summary>The body as UTF-8 text, at most <see cref="HttpProbe.MaximumBodyBytes"/> bytes of it.</summary>
    public string Body { get; private init; } = string.Empty;

    /// <summary>Whether the body was longer than <see cref="HttpProbe.MaximumBodyBytes"/> and was cut.</summary>
    public bool BodyTruncated { get; private init; }

    /// <summary>Why no response arrived ("cannot connect to 127.0.0.1:5080: connection refused"), else null.</summary>
    public string? Failure { get; private init; }

    /// <summary>The URL for output: scheme, host, port, path and query, never user information (a password).</summary>
    public string DisplayUrl => Url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);

    /// <summary>A response arrived.</summary>
    public static ProbeResult Response(Uri url, TimeSpan elapsed, int statusCode, string? mediaType, string body, bool bodyTruncated) =>
        new(url, elapsed)
        {
            StatusCode = statusCode,
            MediaType = mediaType?.ToLowerInvariant(),
            Body = body,
            BodyTruncated = bodyTruncated,
        };

    /// <summary>No response: refused, unreachable, timed out, TLS failed, connection lost.</summary>
    public static ProbeResult Failed(Uri url, TimeSpan elapsed, string failure) => new(url, elapsed) { Failure = failure };
}
