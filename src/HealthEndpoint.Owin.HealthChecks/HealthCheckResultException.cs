using System;

namespace Owin.HealthEndpoint.HealthChecks;

/// <summary>
/// Thrown by <see cref="HealthCheckAdapter.CheckAsync"/> when an ASP.NET Core check reports a failing status, so
/// that the runner reports <c>fail</c> and logs the check's description and exception.
/// </summary>
/// <remarks>The message holds the check's description: it goes to the log, never into a response.</remarks>
public sealed class HealthCheckResultException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The status and the check's description.</param>
    /// <param name="innerException">The exception the check's result carried, if any.</param>
    public HealthCheckResultException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The status and the check's description.</param>
    public HealthCheckResultException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public HealthCheckResultException()
    {
    }
}
