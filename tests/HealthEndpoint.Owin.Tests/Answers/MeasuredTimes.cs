using System.Text.RegularExpressions;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>
/// Replaces the measured parts of an answer (a check's milliseconds, health+json's <c>observedValue</c> and
/// <c>time</c>) with fixed markers, so that exact-body tests keep comparing everything else byte for byte.
/// </summary>
/// <remarks>
/// Each pattern also pins the format: a value that is not whole milliseconds, not a JSON number or not ISO 8601
/// UTC with milliseconds stays unmasked and fails the comparison. CheckLatencyTests checks the values themselves.
/// </remarks>
internal static class MeasuredTimes
{
    private static readonly Regex Milliseconds = new(@" \(\d+ ms\)\n");
    private static readonly Regex ObservedValue = new(@"""observedValue"":\d+(\.\d{1,3})?,");
    private static readonly Regex Time = new(@"""time"":""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z""");

    public static string Mask(string body)
    {
        body = Milliseconds.Replace(body, " (N ms)\n");
        body = ObservedValue.Replace(body, "\"observedValue\":N,");
        return Time.Replace(body, "\"time\":\"T\"");
    }
}
