using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace HealthEndpoint.Probe;

/// <summary>
/// Monitoring mode (<c>--plugin</c>), per the Monitoring Plugins guidelines: <c>HEALTHENDPOINT OK - …</c> with exit 0,
/// WARNING 1, CRITICAL 2, UNKNOWN 3, and perfdata after <c> | </c> in the invariant culture.
/// </summary>
/// <remarks>
/// CRITICAL: no response (refused, unreachable, timeout, TLS), a status code outside <c>--expect</c>, a status
/// document saying <c>fail</c>, or a response time above <c>--critical</c>. WARNING: a response time above
/// <c>--warning</c>, or a health+json document saying <c>warn</c>. UNKNOWN: a bad command line, or an expected
/// status code with a body that is neither a status document (JSON) nor plain text (ping's <c>pong</c>).
/// Perfdata: <c>'time'</c> in seconds, then per check 1 (ok, warn) or 0 (fail) and, when a health+json body gave
/// it, the check's own latency as <c>'&lt;check&gt;_time'</c> in seconds; skipped checks have neither.
/// </remarks>
internal static class MonitoringOutput
{
    public const int Ok = 0;
    public const int Warning = 1;
    public const int Critical = 2;
    public const int Unknown = 3;

    private static readonly string[] StateNames = ["OK", "WARNING", "CRITICAL", "UNKNOWN"];

    /// <summary>A command line the probe cannot run: <c>HEALTHENDPOINT UNKNOWN - …</c>, exit 3.</summary>
    public static ProbeOutcome Usage(string message) => Line(Unknown, message, perfdata: null);

    /// <summary>The state, line and exit code for one probe result.</summary>
    public static ProbeOutcome Format(ProbeResult result, ProbeArguments arguments)
    {
        if (result.StatusCode is not { } statusCode)
        {
            return Line(Critical, result.Failure ?? "no response", perfdata: null);
        }

        var bodyProblem = ReadBody(result, out var document);
        var perfdata = Perfdata(result, arguments, document);
        var summary = $"{statusCode} in {Duration.Milliseconds(result.Elapsed)} ms";
        var failing = document is null ? string.Empty : Checks(document, onlyFailing: true);
        if (!arguments.Expect.Matches(statusCode))
        {
            return Line(Critical, summary + (failing.Length > 0 ? failing : $" (expected {arguments.Expect})"), perfdata);
        }

        if (bodyProblem is not null)
        {
            return Line(Unknown, $"{summary}, {bodyProblem}", perfdata);
        }

        if (document is { Status: "fail" })
        {
            return Line(Critical, summary + (failing.Length > 0 ? failing : ", status fail"), perfdata);
        }

        var checks = document is null ? string.Empty : Checks(document, onlyFailing: false);
        if (arguments.Critical is { } critical && result.Elapsed > critical)
        {
            return Line(Critical, $"{summary} (> {Duration.Describe(critical)}){checks}", perfdata);
        }

        if (arguments.Warning is { } warning && result.Elapsed > warning)
        {
            return Line(Warning, $"{summary} (> {Duration.Describe(warning)}){checks}", perfdata);
        }

        if (document is { Status: "warn" })
        {
            return Line(Warning, summary + (checks.Length > 0 ? checks : ", status warn"), perfdata);
        }

        return Line(Ok, summary + checks, perfdata);
    }

    // JSON must be a status document; plain text (ping) and empty bodies are taken as they are; anything else
    // (an HTML login page, a proxy's error page) means the URL is not a HealthEndpoint.
    private static string? ReadBody(ProbeResult result, out StatusDocument? document)
    {
        document = null;
        var mediaType = result.MediaType;
        if (mediaType is not null && (mediaType == "application/json" || mediaType.EndsWith("+json", System.StringComparison.Ordinal)))
        {
            if (result.BodyTruncated)
            {
                return $"unexpected status body: larger than {HttpProbe.MaximumBodyBytes / 1024} KiB";
            }

            return StatusDocument.TryParse(result.Body, out document, out var error) ? null : "unexpected status body: " + error;
        }

        if (result.Body.Length == 0 || mediaType == "text/plain")
        {
            return null;
        }

        return mediaType is null
            ? "unexpected body without Content-Type"
            : $"unexpected Content-Type {mediaType} (expected application/json or text/plain)";
    }

    private static string Checks(StatusDocument document, bool onlyFailing)
    {
        var text = new StringBuilder();
        foreach (var check in document.Checks.Where(check => !onlyFailing || check.State == "fail"))
        {
            text.Append(", ").Append(check.Name).Append(' ').Append(check.State);
        }

        return text.ToString();
    }

    private static string Perfdata(ProbeResult result, ProbeArguments arguments, StatusDocument? document)
    {
        var warning = arguments.Warning is { } w ? Duration.Seconds(w) : string.Empty;
        var critical = arguments.Critical is { } c ? Duration.Seconds(c) : string.Empty;
        var seconds = result.Elapsed.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        var perfdata = new StringBuilder($"'time'={seconds}s;{warning};{critical};0");
        foreach (var check in document?.Checks ?? [])
        {
            if (check.State != "skipped")
            {
                // 1 = ok (or warn: it passes, with a concern), 0 = fail; the critical range "1:" alerts below 1.
                perfdata.Append(' ').Append(Label(check.Name)).Append('=').Append(check.State == "fail" ? '0' : '1').Append(";;1:;0;1");
            }

            if (check.Latency is { } latency)
            {
                // Up to microseconds: a database answers in well under the 1 ms that 'time' resolves.
                var checkSeconds = latency.TotalSeconds.ToString("0.000###", System.Globalization.CultureInfo.InvariantCulture);
                perfdata.Append(' ').Append(Label(check.Name + "_time")).Append('=').Append(checkSeconds).Append("s;;;0");
            }
        }

        return perfdata.ToString();
    }

    private static string Label(string name) => "'" + name.Replace("'", "''", System.StringComparison.Ordinal) + "'";

    private static ProbeOutcome Line(int state, string text, string? perfdata) =>
        new(state, $"HEALTHENDPOINT {StateNames[state]} - {text}" + (perfdata is null ? string.Empty : " | " + perfdata));
}
