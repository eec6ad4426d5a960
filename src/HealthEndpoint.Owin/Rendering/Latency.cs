using System;
using System.Globalization;

namespace HealthEndpoint.Owin;

/// <summary>How a check's timing is written: the one format health+json and <c>?verbose</c> text share.</summary>
internal static class Latency
{
    /// <summary>The unit of health+json's <c>observedValue</c>; the IETF draft's examples use milliseconds.</summary>
    public const string ObservedUnit = "ms";

    /// <summary>Milliseconds as a JSON number with up to three decimals, e.g. <c>3.214</c>.</summary>
    public static string ObservedValue(TimeSpan elapsed) =>
        Math.Round(elapsed.TotalMilliseconds, 3).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Whole milliseconds, rounded down: <c>3</c> for 3.9 ms, so a shown value never exceeds the real one.</summary>
    public static string WholeMilliseconds(TimeSpan elapsed) =>
        ((long)elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 in UTC with milliseconds, as the draft's <c>time</c> field: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public static string Time(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
