using System.Collections.Generic;
using System.Text;

namespace HealthEndpoint.Owin;

/// <summary>Renders a livez/readyz/startupz answer as plain text in the Kubernetes API server's style.</summary>
/// <remarks>
/// A pass without <c>?verbose</c> is <c>ok</c>. A failure, or any answer with <c>?verbose</c>, lists every check
/// with its fixed token — <c>[+]database ok</c>, <c>[-]redis fail</c>, <c>[+]mail skipped</c> — and ends with
/// <c>readyz check passed</c> or <c>readyz check failed</c>. With <c>?verbose</c> a check that ran also shows its
/// time in whole milliseconds: <c>[+]database ok (3 ms)</c>. Reasons are never shown; they are in the log.
/// </remarks>
internal static class KubernetesTextBody
{
    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("ok");

    /// <param name="name">The path's last segment (<c>readyz</c>), which names the answer's last line.</param>
    /// <param name="sorted">The results, sorted by name.</param>
    /// <param name="healthy">Whether the answer passes.</param>
    /// <param name="verbose">Whether <c>?verbose</c> asked for every check and its time.</param>
    public static byte[] Encode(string name, IReadOnlyList<CheckResult> sorted, bool healthy, bool verbose)
    {
        if (healthy && !verbose)
        {
            return Ok;
        }

        var text = new StringBuilder(32 + (32 * sorted.Count));
        foreach (var check in sorted)
        {
            text.Append(check.Outcome == CheckOutcome.Fail ? "[-]" : "[+]")
                .Append(check.Name)
                .Append(' ')
                .Append(StatusJson.Token(check.Outcome));
            if (verbose && check.Elapsed is { } elapsed)
            {
                text.Append(" (").Append(Latency.WholeMilliseconds(elapsed)).Append(" ms)");
            }

            text.Append('\n');
        }

        text.Append(name).Append(healthy ? " check passed\n" : " check failed\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
