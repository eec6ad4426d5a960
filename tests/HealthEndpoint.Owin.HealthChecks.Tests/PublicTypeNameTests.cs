using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.Owin.HealthChecks.Tests;

/// <summary>
/// An app that imports our namespaces beside ASP.NET Core's health-check namespaces must not meet an ambiguous
/// type name (CS0104).
/// </summary>
[TestFixture]
public sealed class PublicTypeNameTests
{
    private static readonly Assembly[] Ours =
    {
        typeof(HealthEndpointOptions).Assembly,
        typeof(HealthCheckAdapter).Assembly,
    };

    private static readonly Assembly[] AspNetCore =
    {
        typeof(HealthStatus).Assembly, // Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions
        typeof(HealthCheckService).Assembly, // Microsoft.Extensions.Diagnostics.HealthChecks
        typeof(HealthCheckEndpointRouteBuilderExtensions).Assembly, // Microsoft.AspNetCore.Diagnostics.HealthChecks
    };

    [Test]
    public void PublicTypes_ComparedWithAspNetCoreHealthChecks_ShareNoName()
    {
        var aspNetCore = PublicNames(AspNetCore);

        var shared = PublicNames(Ours).Intersect(aspNetCore, StringComparer.Ordinal).ToList();

        Assert.That(shared, Is.Empty);
    }

    [Test]
    public void AspNetCorePublicTypes_Listed_IncludeOurFormerRegistrationName()
    {
        // Control: the comparison sees the name that collided before the rename, so an empty intersection means
        // something.
        Assert.That(PublicNames(AspNetCore), Does.Contain("HealthCheckRegistration").And.Contain("HealthCheckOptions"));
    }

    private static HashSet<string> PublicNames(IEnumerable<Assembly> assemblies) =>
        new(
            assemblies.SelectMany(assembly => assembly.GetExportedTypes())
                .Where(type => !type.IsNested)
                .Select(type => type.Name.Split('`')[0]),
            StringComparer.Ordinal);
}
