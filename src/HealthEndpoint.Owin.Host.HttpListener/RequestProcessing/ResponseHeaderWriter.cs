using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace Owin.HealthEndpoint.Hosting;

/// <summary>Copies OWIN response headers to an HttpListenerResponse, which owns some of them as properties.</summary>
internal static class ResponseHeaderWriter
{
    /// <summary>Writes every header; returns the app's Content-Length, if it set one.</summary>
    /// <exception cref="InvalidOperationException">The app set a Content-Length that is not a non-negative integer.</exception>
    public static long? Write(IDictionary<string, string[]> headers, HttpListenerResponse response)
    {
        long? contentLength = null;
        foreach (var header in headers)
        {
            var values = header.Value;
            if (values is null || values.Length == 0)
            {
                continue;
            }

            var name = header.Key;
            if (Is(name, "Content-Length"))
            {
                if (!long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                {
                    throw new InvalidOperationException("The app set a Content-Length that is not a non-negative integer.");
                }

                response.ContentLength64 = length;
                contentLength = length;
            }
            else if (Is(name, "Content-Type"))
            {
                response.ContentType = values[0];
            }
            else if (Is(name, "Transfer-Encoding"))
            {
                response.SendChunked = string.Join(",", values).IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0;
            }
            else if (Is(name, "Connection"))
            {
                if (string.Join(",", values).IndexOf("close", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    response.KeepAlive = false;
                }
            }
            else if (!Is(name, "Keep-Alive"))
            {
                foreach (var value in values)
                {
                    response.AppendHeader(name, value);
                }
            }
        }

        return contentLength;
    }

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
}
