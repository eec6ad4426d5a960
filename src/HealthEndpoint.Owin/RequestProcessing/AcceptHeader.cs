using System;
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

    /// <param name="accept">The request's Accept values; <see langword="null"/> when it sent none.</param>
    public static bool PrefersHealthJson(string[]? accept)
    {
        if (accept is null)
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
