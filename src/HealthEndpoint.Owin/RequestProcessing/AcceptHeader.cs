using System;
using System.Collections.Generic;
using System.Globalization;

namespace HealthEndpoint.Owin;

/// <summary>Content negotiation between the default JSON and <c>application/health+json</c>.</summary>
/// <remarks>
/// health+json is chosen only when the client names it with a non-zero quality that no range matching
/// <c>application/json</c> beats (RFC 9110 section 12.5.1). <c>*/*</c> alone, a browser's Accept, or no Accept at
/// all keep the default, so existing monitoring that parses the compact status document never sees a change.
/// </remarks>
internal static class AcceptHeader
{
    public const string HealthJsonMediaType = "application/health+json";

    public static bool PrefersHealthJson(IDictionary<string, object> environment)
    {
        if (!environment.TryGetValue(OwinKeys.RequestHeaders, out var value)
            || value is not IDictionary<string, string[]> headers
            || !TryGetAccept(headers, out var accept))
        {
            return false;
        }

        var healthJson = 0.0;
        var plainJson = 0.0;
        foreach (var line in accept)
        {
            foreach (var range in (line ?? string.Empty).Split(','))
            {
                var parameters = range.Split(';');
                var mediaType = parameters[0].Trim();
                var quality = Quality(parameters);
                if (string.Equals(mediaType, HealthJsonMediaType, StringComparison.OrdinalIgnoreCase))
                {
                    healthJson = Math.Max(healthJson, quality);
                }
                else if (mediaType is "*/*" || string.Equals(mediaType, "application/*", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
                {
                    plainJson = Math.Max(plainJson, quality);
                }
            }
        }

        return healthJson > 0 && healthJson >= plainJson;
    }

    private static bool TryGetAccept(IDictionary<string, string[]> headers, out string[] accept)
    {
        if (headers.TryGetValue("Accept", out accept!) && accept is not null)
        {
            return true;
        }

        // OWIN does not require a case-insensitive header dictionary.
        foreach (var header in headers)
        {
            if (string.Equals(header.Key, "Accept", StringComparison.OrdinalIgnoreCase) && header.Value is not null)
            {
                accept = header.Value;
                return true;
            }
        }

        accept = Array.Empty<string>();
        return false;
    }

    private static double Quality(string[] parameters)
    {
        for (var i = 1; i < parameters.Length; i++)
        {
            var parameter = parameters[i].Trim();
            if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
            {
                return double.TryParse(parameter.Substring(2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var q) && q >= 0 && q <= 1
                    ? q
                    : 0;
            }
        }

        return 1;
    }
}
