using System;
using System.IO;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The client's fault, found by the core: a request body past the limit (413), too slow (408) or broken in transit
/// (400), or a request head two parsers could read two ways (400). The host answers with <see cref="StatusCode"/> and
/// logs it at Information; it is never the app's failure.
/// </summary>
internal sealed class BadRequestException : IOException
{
    public BadRequestException(int statusCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>400, 408 or 413.</summary>
    public int StatusCode { get; }

    /// <summary>The first <see cref="BadRequestException"/> in <paramref name="exception"/>'s chain, if any.</summary>
    public static BadRequestException? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BadRequestException bad)
            {
                return bad;
            }
        }

        return null;
    }
}
