using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.AspNetCore.Tests.Runner;

/// <summary>
/// A response writer as apps write them for MapHealthChecks: the whole <see cref="HealthReport"/> as JSON, every
/// entry with its status, description, exception, data, tags and duration.
/// </summary>
internal static class ReportJson
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var entries = new JsonObject();
        foreach (var (name, entry) in report.Entries.OrderBy(pair => pair.Key, System.StringComparer.Ordinal))
        {
            entries[name] = new JsonObject
            {
                ["status"] = entry.Status.ToString(),
                ["description"] = entry.Description,
                ["exception"] = entry.Exception is null ? null : entry.Exception.GetType().Name + ": " + entry.Exception.Message,
                ["data"] = new JsonObject(entry.Data.Select(pair => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(pair.Key, JsonValue.Create(pair.Value.ToString())))),
                ["tags"] = new JsonArray(entry.Tags.Order(System.StringComparer.Ordinal).Select(tag => (JsonNode?)tag).ToArray()),
                ["durationMs"] = entry.Duration.TotalMilliseconds,
            };
        }

        var body = new JsonObject { ["status"] = report.Status.ToString(), ["totalDurationMs"] = report.TotalDuration.TotalMilliseconds, ["entries"] = entries };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>The same document without its durations: what two services' reports of the same checks share.</summary>
    public static string WithoutDurations(string json)
    {
        var body = JsonNode.Parse(json)!.AsObject();
        body.Remove("totalDurationMs");
        foreach (var (_, entry) in body["entries"]!.AsObject())
        {
            entry!.AsObject().Remove("durationMs");
        }

        return body.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
