using System;

namespace HealthEndpoint.Probe;

/// <summary>A command line the probe cannot run; the message is the one line shown to the user.</summary>
internal sealed class ProbeUsageException : Exception
{
    public ProbeUsageException()
    {
    }

    public ProbeUsageException(string message)
        : base(message)
    {
    }

    public ProbeUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>User text fit for a one-line message: control characters replaced, at most 80 characters.</summary>
    public static string Quote(string text)
    {
        var chars = text.Length > 80 ? (text[..77] + "...").ToCharArray() : text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return "'" + new string(chars) + "'";
    }
}
