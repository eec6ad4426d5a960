using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>One real PostgreSQL for the blocks' database checks, started once for this assembly.</summary>
[SetUpFixture]
public sealed class ReadmeDatabase : AssemblyPostgres
{
}
