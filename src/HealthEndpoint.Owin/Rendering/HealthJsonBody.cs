using System.Collections.Generic;
using System.Text;

namespace HealthEndpoint.Owin;

/// <summary>Renders check results as <c>application/health+json</c> (IETF draft-inadarei-api-health-check).</summary>
/// <remarks>
/// <c>{"checks":{"database":[{"componentType":"datastore","observedUnit":"ms","observedValue":3.214,"status":"pass","time":"…"}]},"status":"pass"}</c>:
/// ok is <c>pass</c>, fail is <c>fail</c>, and a skipped check is left out, because the draft has no word for a
/// check that did not run. A check that ran carries its latency (see <see cref="Latency"/>); pseudo-checks do not.
/// The draft's status codes hold: pass with 200, fail with 503. Keys are sorted; no whitespace.
/// </remarks>
internal static class HealthJsonBody
{
    public static byte[] Encode(IReadOnlyList<CheckResult> sorted, bool healthy)
    {
        var json = new StringBuilder(64 + (128 * sorted.Count));
        json.Append('{');
        var first = true;
        foreach (var check in sorted)
        {
            if (check.Outcome == CheckOutcome.Skipped)
            {
                continue;
            }

            json.Append(first ? "\"checks\":{\"" : ",\"").Append(check.Name).Append("\":[{");
            if (CheckNames.IsDatastore(check.Name))
            {
                json.Append("\"componentType\":\"datastore\",");
            }

            if (check.Elapsed is { } elapsed)
            {
                json.Append("\"observedUnit\":\"").Append(Latency.ObservedUnit)
                    .Append("\",\"observedValue\":").Append(Latency.ObservedValue(elapsed)).Append(',');
            }

            json.Append("\"status\":\"").Append(check.Outcome == CheckOutcome.Ok ? "pass" : "fail").Append('"');
            if (check.Elapsed is not null)
            {
                json.Append(",\"time\":\"").Append(Latency.Time(check.StartedAt)).Append('"');
            }

            json.Append("}]");
            first = false;
        }

        json.Append(first ? "\"status\":\"" : "},\"status\":\"").Append(healthy ? "pass" : "fail").Append("\"}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
