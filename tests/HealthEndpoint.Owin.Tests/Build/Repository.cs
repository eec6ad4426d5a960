using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HealthEndpoint.Owin.Tests.Build;

/// <summary>The checkout these tests run from, and the files of src/ that the build rules scan.</summary>
internal static class Repository
{
    /// <summary>The folder holding HealthEndpoint.Owin.sln, found upwards from the test assembly.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HealthEndpoint.Owin.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No HealthEndpoint.Owin.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>Files under src/ matching <paramref name="pattern"/>, outside bin/ and obj/: their path from the root, with '/', and their text.</summary>
    public static IEnumerable<(string File, string Text)> SourceFiles(string pattern)
    {
        var root = Root();
        return Directory.EnumerateFiles(Path.Combine(root, "src"), pattern, SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllText(path)));
    }
}
