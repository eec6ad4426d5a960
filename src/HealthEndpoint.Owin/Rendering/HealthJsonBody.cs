using System.Collections.Generic;
using System.Text;

namespace Owin.HealthEndpoint;

/// <summary>Renders outcomes as <c>application/health+json</c> (IETF draft-inadarei-api-health-check).</summary>
/// <remarks>
/// <c>{"checks":{"database":[{"componentType":"datastore","status":"pass"}]},"status":"pass"}</c>: ok is
/// <c>pass</c>, fail is <c>fail</c>, and a skipped check is left out, because the draft has no word for a check
/// that did not run. The draft's status codes hold: pass with 200, fail with 503. Keys are sorted; no whitespace.
/// </remarks>
internal static class HealthJsonBody
{
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, CheckOutcome>> sorted, bool healthy)
    {
        var json = new StringBuilder(64 + (48 * sorted.Count));
        json.Append('{');
        var first = true;
        foreach (var check in sorted)
        {
            if (check.Value == CheckOutcome.Skipped)
            {
                continue;
            }

            json.Append(first ? "\"checks\":{\"" : ",\"").Append(check.Key).Append("\":[{");
            if (check.Key is StatusJson.DatabaseCheckName or StatusJson.RedisCheckName)
            {
                json.Append("\"componentType\":\"datastore\",");
            }

            json.Append("\"status\":\"").Append(check.Value == CheckOutcome.Ok ? "pass" : "fail").Append("\"}]");
            first = false;
        }

        json.Append(first ? "\"status\":\"" : "},\"status\":\"").Append(healthy ? "pass" : "fail").Append("\"}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
