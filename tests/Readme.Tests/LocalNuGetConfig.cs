using System.IO;
using System.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// The nuget.config of a project the tests create outside the repository: our packages from artifacts/packages, then
/// nuget.org for the rest (every pack has the same version, so only these sources, and no machine-wide one, are read).
/// </summary>
internal static class LocalNuGetConfig
{
    /// <summary>Writes <c>nuget.config</c> into <paramref name="folder"/>, with <paramref name="moreLocalSources"/> between the two.</summary>
    public static void Write(string folder, params (string Key, string Path)[] moreLocalSources)
    {
        var sources = new[] { ("local", Path.Combine(Documents.RepositoryRoot, "artifacts", "packages")) }
            .Concat(moreLocalSources)
            .Append(("nuget.org", "https://api.nuget.org/v3/index.json"))
            .Select(source => $"""    <add key="{source.Item1}" value="{source.Item2}" />""");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
            {string.Join("\n", sources)}
              </packageSources>
            </configuration>
            """);
    }
}
