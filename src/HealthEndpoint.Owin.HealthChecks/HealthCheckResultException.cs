using System;

namespace HealthEndpoint.Owin.HealthChecks;

/// <summary>
/// Thrown by <see cref="HealthCheckAdapter.CheckAsync"/> when an ASP.NET Core check reports a failing status, so
/// that the runner reports <c>fail</c> and logs the check's description and exception.
/// </summary>
/// <remarks>The message holds the check's description: it goes to the log, never into a response.</remarks>
internal sealed class HealthCheckResultException(string message, Exception? innerException) : Exception(message, innerException);
