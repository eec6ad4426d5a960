using System.Collections.Generic;
using System.Text;

namespace HealthEndpoint.Owin.Prometheus;

/// <summary>OpenTelemetry's mapping of instrument names, units and tag keys to Prometheus names.</summary>
/// <remarks>
/// Following the OpenTelemetry "Prometheus and OpenMetrics compatibility" specification: invalid characters become
/// <c>_</c>; the unit, without <c>{annotations}</c>, is spelled out and appended (<c>s</c> → <c>_seconds</c>); a
/// counter ends in <c>_total</c>. So <c>healthendpoint.status.runs</c> ({run}) is <c>healthendpoint_status_runs_total</c>.
/// </remarks>
internal static class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new()
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    public static string MetricName(string instrumentName, string? unit, InstrumentKind kind)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        var suffix = UnitSuffix(unit, kind);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, System.StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        var counter = kind is InstrumentKind.Counter or InstrumentKind.ObservableCounter;
        return counter && !name.EndsWith("_total", System.StringComparison.Ordinal) ? name + "_total" : name;
    }

    public static string LabelName(string tagKey) => Sanitize(tagKey, allowColon: false);

    private static string UnitSuffix(string? unit, InstrumentKind kind)
    {
        var plain = StripAnnotations(unit);
        if (plain.Length == 0)
        {
            return string.Empty;
        }

        if (plain == "1")
        {
            return kind == InstrumentKind.Gauge ? "ratio" : string.Empty;
        }

        var slash = plain.IndexOf('/');
        if (slash > 0 && slash < plain.Length - 1)
        {
            return Sanitize(Spell(plain.Substring(0, slash)) + "_per_" + Spell(plain.Substring(slash + 1)).TrimEnd('s'), allowColon: false);
        }

        return Sanitize(Spell(plain), allowColon: false);
    }

    private static string Spell(string unit) => Units.TryGetValue(unit, out var spelled) ? spelled : unit;

    // "{run}" -> "", "By{cpu}" -> "By": annotations carry no unit.
    private static string StripAnnotations(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(unit!.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    // [a-zA-Z_:][a-zA-Z0-9_:]* for metric names, no ':' for labels; runs of '_' collapse to one.
    private static string Sanitize(string text, bool allowColon)
    {
        var builder = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            var valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next != '_' || builder.Length == 0 || builder[builder.Length - 1] != '_')
            {
                builder.Append(next);
            }
        }

        if (builder.Length == 0 || (builder[0] >= '0' && builder[0] <= '9'))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
