using System.Diagnostics.CodeAnalysis;

// One suppression for every DatabaseHealthCheck constructor (connection factory, provider and connection string, data
// source), each of which ends in an optional command text.
[assembly: SuppressMessage(
    "ApiDesign",
    "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "The overloads were designed together for the first release; the rule guards overloads added to a shipped API.",
    Scope = "type",
    Target = "~T:HealthEndpoint.Owin.DatabaseHealthCheck")]
