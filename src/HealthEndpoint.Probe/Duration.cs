using System;
using System.Globalization;

namespace HealthEndpoint.Probe;

/// <summary>Reads and writes the durations of <c>--timeout</c>, <c>--warning</c> and <c>--critical</c>.</summary>
internal static class Duration
{
    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    /// <summary>
    /// Parses <c>2s</c>, <c>1.5s</c>, <c>500ms</c> or a bare number of seconds (<c>2</c>, as check_http's <c>-t</c>);
    /// the value must be positive and at most one hour.
    /// </summary>
    /// <exception cref="ProbeUsageException">The text is not such a duration.</exception>
    public static TimeSpan Parse(string option, string text)
    {
        var number = text.Trim();
        var scale = 1000.0;
        if (number.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            number = number[..^2];
            scale = 1.0;
        }
        else if (number.EndsWith('s') || number.EndsWith('S'))
        {
            number = number[..^1];
        }

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value <= 0
            || value * scale > Longest.TotalMilliseconds)
        {
            throw new ProbeUsageException(
                $"invalid {option} {ProbeUsageException.Quote(text)}: use a positive duration up to 1 hour like 2s, 1.5s or 500ms");
        }

        return TimeSpan.FromMilliseconds(Math.Round(value * scale, MidpointRounding.AwayFromZero));
    }

    /// <summary>Seconds with up to three decimals in the invariant culture: <c>2</c>, <c>1.5</c>, <c>0.25</c>.</summary>
    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>For messages: <c>2 s</c>, <c>1.5 s</c>, <c>500 ms</c>.</summary>
    public static string Describe(TimeSpan duration) => duration < TimeSpan.FromSeconds(1)
        ? Milliseconds(duration) + " ms"
        : Seconds(duration) + " s";

    /// <summary>Whole milliseconds, rounded: <c>3</c>.</summary>
    public static string Milliseconds(TimeSpan duration) =>
        Math.Round(duration.TotalMilliseconds, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);
}
