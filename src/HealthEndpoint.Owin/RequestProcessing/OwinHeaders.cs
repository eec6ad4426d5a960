using System;
using System.Collections.Generic;

namespace HealthEndpoint.Owin;

/// <summary>Finds a request header in <c>owin.RequestHeaders</c>, whatever the case of its name.</summary>
/// <remarks>
/// OWIN servers usually key request headers case-insensitively, but the specification does not say so. The exact
/// lookup settles the common case; only a dictionary that is not known to ignore case is then scanned.
/// </remarks>
internal static class OwinHeaders
{
    /// <summary>The header's values as the server stored them, in header order, or <see langword="null"/> when it is absent.</summary>
    public static string[]? Find(IDictionary<string, object> environment, string name)
    {
        if (!environment.TryGetValue(OwinKeys.RequestHeaders, out var value) || value is not IDictionary<string, string[]> headers)
        {
            return null;
        }

        if (headers.TryGetValue(name, out var values))
        {
            return values;
        }

        if (headers is Dictionary<string, string[]> dictionary && dictionary.Comparer.Equals(name, name.ToLowerInvariant()))
        {
            return null;
        }

        foreach (var header in headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}
