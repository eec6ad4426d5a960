using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Recipes.Tests;

/// <summary>
/// docs/recipes/prometheus.md as runnable files: the app settings, the scrape configuration, the rules file and the
/// PromQL queries it lists, with only the documented placeholders replaced.
/// </summary>
internal static partial class PrometheusRecipe
{
    /// <summary>The rules file's name, as the scrape configuration's <c>rule_files</c> names it (beside prometheus.yml).</summary>
    public const string RulesFileName = "healthendpoint.rules.yml";

    /// <summary>The address Prometheus and this test's client connect from: the app sees every scrape coming from it.</summary>
    public const string AllowedClient = "127.0.0.1";

    private static RecipeFile Markdown => RecipeFile.Load("prometheus.md");

    /// <summary>
    /// The appsettings block as the environment variables LegacyApp reads (<c>HealthEndpoint__AllowedNetworks__0</c>),
    /// flattened by the same JSON configuration provider the app uses for its appsettings.json; the recipe's
    /// 10.0.0.0/8 becomes <see cref="AllowedClient"/>/32, so that another loopback address is a client outside it.
    /// </summary>
    public static Dictionary<string, string> AppSettings()
    {
        var json = Markdown.Block("prometheus-appsettings").Replace("10.0.0.0/8", AllowedClient + "/32").Text;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        return configuration.AsEnumerable()
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!, StringComparer.Ordinal);
    }

    /// <summary>
    /// The scrape configuration for one target: the recipe's two targets become <paramref name="target"/>, and its
    /// 15 s scrape and evaluation intervals 1 s, so that scrapes and rule evaluations happen within the test's seconds.
    /// </summary>
    public static string ScrapeConfiguration(string target) => Markdown.Block("prometheus-scrape")
        .Replace("'app-1:8080', 'app-2:8080'", $"'{target}'")
        .Replace("15s", "1s")
        .Text;

    /// <summary>The rules file, verbatim.</summary>
    public static string Rules() => Markdown.Block("prometheus-rules").Text;

    /// <summary>The alert names the rules file defines, in order.</summary>
    public static IReadOnlyList<string> AlertNames() =>
        AlertLine().Matches(Rules()).Select(match => match.Groups["name"].Value).ToList();

    /// <summary>The PromQL queries of the "Useful queries" list (each bullet's first code span), in order.</summary>
    public static IReadOnlyList<string> Queries() =>
        QueryBullet().Matches(File.ReadAllText(Markdown.Path).ReplaceLineEndings("\n")).Select(match => match.Groups["query"].Value).ToList();

    [GeneratedRegex(@"^\s*- alert: (?<name>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^- `(?<query>[^`]*healthendpoint_[^`]*)`", RegexOptions.Multiline)]
    private static partial Regex QueryBullet();
}
