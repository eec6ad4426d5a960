namespace Owin.HealthEndpoint.Testing;

/// <summary>One client connection as <c>pg_stat_activity</c> reports it.</summary>
/// <param name="Pid">The backend process id.</param>
/// <param name="ApplicationName">The client's <c>application_name</c> (empty when unset).</param>
/// <param name="State">For example <c>idle</c> or <c>active</c>.</param>
/// <param name="Query">The last (or current) statement.</param>
public sealed record PostgresClientBackend(int Pid, string ApplicationName, string State, string Query);
