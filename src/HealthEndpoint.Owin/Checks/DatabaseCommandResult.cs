using System;

namespace HealthEndpoint.Owin;

/// <summary>
/// How <see cref="DatabaseHealthCheck"/> reads its command's first value: null, <see cref="DBNull"/> (also "no
/// row"), <see langword="false"/> and a numeric zero fail; every other value passes.
/// </summary>
/// <remarks>
/// Strings are not interpreted: <c>'f'</c>, <c>'0'</c> and <c>''</c> pass, because a text answer means a
/// different thing in every database. A command should yield a boolean or a number (<c>SELECT NOT
/// pg_is_in_recovery()</c> gives PostgreSQL's <c>boolean</c>; SQLite has no boolean type and answers
/// <c>SELECT 1 = 0</c> with the integer 0, which fails as well).
/// </remarks>
internal static class DatabaseCommandResult
{
    /// <summary>Whether <paramref name="value"/> counts as a healthy answer.</summary>
    public static bool IsTruthy(object? value) => value switch
    {
        null or DBNull => false,
        bool flag => flag,
        byte number => number != 0,
        sbyte number => number != 0,
        short number => number != 0,
        ushort number => number != 0,
        int number => number != 0,
        uint number => number != 0,
        long number => number != 0,
        ulong number => number != 0,
        float number => number != 0,
        double number => number != 0,
        decimal number => number != 0,
        _ => true,
    };

    /// <summary>Throws when <paramref name="value"/> is not truthy; the message names only the kind of value.</summary>
    /// <exception cref="InvalidOperationException">The value is null, DBNull, false or zero.</exception>
    public static void EnsureTruthy(object? value)
    {
        if (!IsTruthy(value))
        {
            // The runner logs this message; it never reaches the response. Only the kind of value is named, so a
            // command that selects something private cannot leak it into the log.
            var kind = value is null or DBNull ? "null (or no row)" : value is bool ? "false" : "zero";
            throw new InvalidOperationException($"The database health command's first value was not truthy: it was {kind}.");
        }
    }
}
