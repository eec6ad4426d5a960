using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.AspNetCore.Tests.Behaviour;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.AspNetCore.Tests;

/// <summary>
/// How the endpoint sits with ASP.NET Core's <c>ForwardedHeadersMiddleware</c> (docs/from-katana-to-aspnetcore.md):
/// placed before it, the endpoint judges the real peer with its own <c>TrustedProxies</c>; placed after it, the
/// address that middleware believed. Clients: loopback, forwarding for 10.1.2.3; allowed: 10.0.0.0/8 only.
/// </summary>
[TestFixture]
public sealed class ForwardedHeadersOrderTests
{
    [TestCase(true, "", 404)]
    [TestCase(true, "127.0.0.1/32", 200)]
    [TestCase(false, "", 200)]
    public async Task ForwardedFor_EndpointBeforeOrAfterUseForwardedHeaders_JudgesTheDocumentedAddress(bool endpointFirst, string trustedProxy, int expected)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthEndpoint(options =>
        {
            options.AllowedNetworks.Add("10.0.0.0/8");
            if (trustedProxy.Length > 0)
            {
                options.TrustedProxies.Add(trustedProxy);
            }
        });
        await using var app = builder.Build();
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor }; // loopback is a known proxy by default
        if (endpointFirst)
        {
            app.UseHealthEndpoint();
            app.UseForwardedHeaders(forwarded);
        }
        else
        {
            app.UseForwardedHeaders(forwarded);
            app.UseHealthEndpoint();
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var response = await WireResponse.SendAsync(client, "GET", "/healthz/ping", ("X-Forwarded-For", "10.1.2.3"));

        Assert.That(response.Status, Is.EqualTo(expected));
    }
}
