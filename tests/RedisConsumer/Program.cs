using System;
using System.Collections.Generic;
using System.ComponentModel.Design;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.Plugin;
using HealthEndpoint.Owin.Redis;
using StackExchange.Redis;

// Usage: RedisConsumer <redis configuration> <redis-server PID>. The README's AppFunc quick start with the app's own multiplexer:
// prints "redis ok" once status says so, then stops redis-server (by the PID it was given) and prints
// "redis fail <ms>" for the first status request after that, with how long that request took. Before that, the
// plugin style with the same multiplexer shared through PluginContext.Services prints "plugin redis ok".
var deadline = TimeSpan.FromSeconds(1);
using var appMultiplexer = await ConnectionMultiplexer.ConnectAsync(args[0]);
var redis = new RedisHealthCheck(appMultiplexer);
var app = HealthEndpointMiddleware.Wrap(
    _ => Task.CompletedTask,
    new HealthEndpointOptions { Redis = redis.CheckAsync, CheckTimeout = deadline, StatusCacheDuration = TimeSpan.Zero });

var services = new ServiceContainer();
services.AddService(typeof(IConnectionMultiplexer), appMultiplexer);
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { ["HealthEndpoint:CheckRedis"] = "true" })
    .Build();
using var pipeline = PluginPipeline.Build(
    _ => Task.CompletedTask, HealthEndpointPlugin.Register(new PluginCatalog()), new PluginContext(configuration, null, services));

async Task<string> StatusAsync(Func<IDictionary<string, object>, Task>? through = null)
{
    var body = new MemoryStream();
    var environment = new Dictionary<string, object>
    {
        ["owin.RequestMethod"] = "GET",
        ["owin.RequestPath"] = "/healthz/status",
        ["owin.ResponseHeaders"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase),
        ["owin.ResponseBody"] = body,
    };
    await (through ?? app)(environment);
    var text = Encoding.UTF8.GetString(body.ToArray());
    return text.Contains("\"redis\":\"ok\"") ? "ok" : text.Contains("\"redis\":\"fail\"") ? "fail" : text;
}

Console.WriteLine($"client {typeof(IConnectionMultiplexer).Assembly.GetName().Version}");
var clock = Stopwatch.StartNew();
var status = await StatusAsync();
while (status != "ok" && clock.Elapsed < TimeSpan.FromSeconds(10))
{
    await Task.Delay(50);
    status = await StatusAsync();
}

Console.WriteLine($"redis {status}");
var pluginStatus = await StatusAsync(pipeline.App);
Console.WriteLine($"plugin redis {pluginStatus}");
if (status != "ok" || pluginStatus != "ok")
{
    return 1;
}

using (var server = Process.GetProcessById(int.Parse(args[1])))
{
    server.Kill();
    server.WaitForExit();
}

clock.Restart();
status = await StatusAsync();
Console.WriteLine($"redis {status} {clock.ElapsedMilliseconds}");
return status == "fail" && clock.Elapsed < deadline + TimeSpan.FromMilliseconds(500) ? 0 : 1;
