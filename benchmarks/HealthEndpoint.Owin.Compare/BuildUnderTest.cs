using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Compare;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// One build of HealthEndpoint.Owin, loaded from its publish folder into a load context of its own, wrapping a
/// no-op app the way the micro benchmarks do: ping and status paths, one no-op check, status cached for the hour.
/// </summary>
/// <remarks>
/// Reflection, because the two builds have the same assembly name; only the public surface that every release
/// since 1.0 has is used (the check type was renamed from <c>HealthCheckRegistration</c> to <c>NamedHealthCheck</c>).
/// </remarks>
internal static class BuildUnderTest
{
    public const string PingPath = "/healthz/ping";
    public const string StatusPath = "/healthz/status";

    /// <summary>The middleware's <c>Invoke</c>, status run already cached.</summary>
    public static AppFunc Load(string folder)
    {
        folder = Path.GetFullPath(folder);
        var core = new FolderLoadContext(folder).LoadFromAssemblyPath(Path.Combine(folder, "HealthEndpoint.Owin.dll"));
        var optionsType = Type(core, "HealthEndpointOptions");
        var options = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty("PingPath")!.SetValue(options, PingPath);
        optionsType.GetProperty("StatusPath")!.SetValue(options, StatusPath);
        optionsType.GetProperty("StatusCacheDuration")!.SetValue(options, TimeSpan.FromHours(1));

        var check = Delegate.CreateDelegate(Type(core, "HealthCheck"), typeof(BuildUnderTest).GetMethod(nameof(NoOpCheck))!);
        var namedCheckType = Find(core, "NamedHealthCheck") ?? Type(core, "HealthCheckRegistration");
        var checks = optionsType.GetProperty("Checks")!.GetValue(options)!;
        checks.GetType().GetMethod("Add")!.Invoke(checks, [Activator.CreateInstance(namedCheckType, "noop", check)]);

        AppFunc app = static _ => Task.CompletedTask;
        var middleware = Activator.CreateInstance(Type(core, "HealthEndpointMiddleware"), app, options)!;
        var invoke = (AppFunc)Delegate.CreateDelegate(typeof(AppFunc), middleware, "Invoke");

        // The first status request runs the check; every measured one must reuse that run.
        invoke(OwinEnvironment.Create(StatusPath)).GetAwaiter().GetResult();
        var cached = OwinEnvironment.Create(StatusPath);
        if (!invoke(cached).IsCompleted || OwinEnvironment.StatusCode(cached) != 200)
        {
            throw new InvalidOperationException($"{folder}: the second status request was not a cached 200.");
        }

        return invoke;
    }

    /// <summary>The check both builds run once: completes at once.</summary>
    public static Task NoOpCheck(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Type Type(Assembly core, string name) =>
        Find(core, name) ?? throw new InvalidOperationException($"{core.Location} has no {name}.");

    // Revisions from before the namespaces followed the package ids declare the types in Owin.HealthEndpoint.
    private static Type? Find(Assembly core, string name) =>
        core.GetType("HealthEndpoint.Owin." + name) ?? core.GetType("Owin.HealthEndpoint." + name);

    // The library from this folder, and its dependencies from the same folder unless the runtime already has them.
    private sealed class FolderLoadContext(string folder) : AssemblyLoadContext(name: null, isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var file = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(file) && !IsFrameworkAssembly(assemblyName) ? LoadFromAssemblyPath(file) : null;
        }

        private static bool IsFrameworkAssembly(AssemblyName assemblyName)
        {
            try
            {
                Default.LoadFromAssemblyName(assemblyName);
                return true;
            }
            catch (FileNotFoundException)
            {
                return false;
            }
        }
    }
}
