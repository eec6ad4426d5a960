using System;
using System.IO;

namespace HealthEndpoint.Owin.Testing;

/// <summary>The server fixtures' temp folders and logs.</summary>
internal static class ServerFiles
{
    /// <summary>The text of <paramref name="file"/> from byte <paramref name="offset"/> on (servers append across starts); empty when there is none.</summary>
    public static string ReadFrom(string file, long offset)
    {
        if (!File.Exists(file))
        {
            return string.Empty;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The length of <paramref name="file"/>, 0 when there is none: where the next start's lines begin.</summary>
    public static long Length(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

    /// <summary>Deletes the folder and everything in it; a folder that cannot be deleted is left to the OS.</summary>
    public static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test run; the OS cleans /tmp.
        }
    }
}
