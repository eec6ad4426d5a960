using System;
using System.Security.Cryptography;

namespace LegacyApp.Sessions;

/// <summary>Session ids: 128 random bits as 32 lowercase hex digits.</summary>
internal static class SessionId
{
    public static string New() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public static bool IsWellFormed(string? id)
    {
        if (id is null || id.Length != 32)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
