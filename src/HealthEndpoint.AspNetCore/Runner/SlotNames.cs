using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// The names the runner knows the app's registrations by: each registration's name where the core accepts it
/// (lowercase <c>[a-z0-9_.-]+</c>, unique, not one of its own), else the closest such name with a number.
/// </summary>
/// <remarks>They appear in the runner's log and metrics only; every report keeps the registration's own name.</remarks>
internal static class SlotNames
{
    private static readonly string[] Reserved = ["database", "redis", "shutdown"];

    /// <summary>One name per registration, in order.</summary>
    /// <exception cref="ArgumentException">Two registrations share a name (ignoring case), which ASP.NET Core's own service rejects too.</exception>
    public static string[] For(ICollection<HealthCheckRegistration> registrations)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var taken = new HashSet<string>(Reserved, StringComparer.Ordinal);
        var names = new string[registrations.Count];
        var index = 0;
        foreach (var registration in registrations)
        {
            if (!seen.Add(registration.Name))
            {
                throw new ArgumentException(
                    $"Duplicate health checks were registered with the name(s): {registration.Name}", nameof(registrations));
            }

            var name = Lowercase(registration.Name);
            for (var suffix = index; !taken.Add(name); suffix++)
            {
                name = Lowercase(registration.Name) + "-" + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            names[index++] = name;
        }

        return names;
    }

    private static string Lowercase(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            text.Append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ? c : '-');
        }

        return text.Length == 0 ? "check" : text.ToString();
    }
}
