using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using LegacyApp;
using LegacyApp.Hosting;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin;

// LegacyApp: an RT-like OWIN app served by the Kestrel host (or the embedded HttpListener host), with the health plugin in front.
//   dotnet run --project samples/LegacyApp
//   Urls=http://127.0.0.1:8080/ Database__Provider=Npgsql Database__ConnectionString="Host=..." dotnet run ...
//   Host__DrainDelay=00:00:05: on SIGTERM, answer status/readiness 503 for 5 s before the listener closes.
//   Host__Server=HttpListener: serve with the embedded HttpListener host instead of Kestrel (docs/hosting.md: its limits).

using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => console.SingleLine = true)
    .SetMinimumLevel(LogLevel.Information));

LegacyApplication application;
AppServer server;
try
{
    var configuration = LegacySettings.Build(args);
    var urls = LegacySettings.Urls(configuration);
    LegacySettings.Server(configuration);
    LegacySettings.DrainDelay(configuration);
    application = LegacyApplication.Create(configuration, loggerFactory);
    server = AppServer.Create(application, configuration, urls, loggerFactory.CreateLogger("HealthEndpoint.Owin.Hosting"));
    await server.StartAsync();
}
catch (HealthEndpointConfigurationException exception)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 2;
}
catch (Exception exception) when (AppServer.IsBindFailure(exception))
{
    await Console.Error.WriteLineAsync($"Cannot listen: {exception.Message}");
    return 1;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void RequestStop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

foreach (var prefix in server.Prefixes)
{
    // The health paths and checks are on the plugin's "Health endpoint paths: ..." line: it knows the real ones.
    Console.WriteLine($"LegacyApp listening on {prefix} ({server.Kind})");
}

if (server.Limits.Length > 0)
{
    Console.WriteLine(server.Limits);
}

Console.WriteLine("Press Ctrl+C to stop.");
await stop.Task;

Console.WriteLine("Stopping: finishing in-flight requests.");
await server.DisposeAsync();
await application.DisposeAsync();
Console.WriteLine("Stopped.");
return 0;
