using System.Collections.Generic;
using System.Text;

namespace Owin.HealthEndpoint;

/// <summary>Renders a probe answer as plain text in the Kubernetes API server's style.</summary>
/// <remarks>
/// A pass without <c>?verbose</c> is <c>ok</c>. A failure, or any answer with <c>?verbose</c>, lists every check
/// with its fixed token — <c>[+]database ok</c>, <c>[-]redis fail</c>, <c>[+]mail skipped</c> — and ends with
/// <c>readyz check passed</c> or <c>readyz check failed</c>. Reasons are never shown; they are in the log.
/// </remarks>
internal static class ProbeTextBody
{
    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("ok");

    public static byte[] Encode(string probe, IReadOnlyList<KeyValuePair<string, CheckOutcome>> sorted, bool healthy, bool verbose)
    {
        if (healthy && !verbose)
        {
            return Ok;
        }

        var text = new StringBuilder(32 + (24 * sorted.Count));
        foreach (var check in sorted)
        {
            text.Append(check.Value == CheckOutcome.Fail ? "[-]" : "[+]")
                .Append(check.Key)
                .Append(' ')
                .Append(StatusJson.Token(check.Value))
                .Append('\n');
        }

        text.Append(probe).Append(healthy ? " check passed\n" : " check failed\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
