using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Katana.Tests;

/// <summary>One real PostgreSQL for the quick start's database check, started once for this assembly.</summary>
[SetUpFixture]
public sealed class KatanaDatabase : AssemblyPostgres
{
}
