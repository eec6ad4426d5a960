using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Owin;

namespace Owin.HealthEndpoint.Readme.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// A minimal host of Katana's convention: it puts <c>host.OnAppDisposing</c> in the startup properties only (not in
/// each request), runs a startup class's <c>Configuration(IAppBuilder)</c>, activates middleware types as Katana's
/// AppBuilder does (constructor (next, args...), then <c>Invoke</c>), and cancels the token when it stops.
/// </summary>
internal sealed class KatanaConventionHost : IAppBuilder, IDisposable
{
    private readonly CancellationTokenSource _appDisposing = new();
    private readonly List<(Type Type, object[] Args)> _middleware = new();

    public KatanaConventionHost()
    {
        Properties = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["owin.Version"] = "1.0",
            ["host.AppName"] = "readme-style-2",
            ["host.OnAppDisposing"] = _appDisposing.Token,
        };
    }

    public IDictionary<string, object> Properties { get; }

    public IAppBuilder Use(object middleware, params object[] args)
    {
        // Katana also takes delegates and instances; the README uses the middleware-class form only.
        _middleware.Add(((Type)middleware, args));
        return this;
    }

    public object Build(Type returnType)
    {
        if (returnType != typeof(AppFunc))
        {
            throw new NotSupportedException("This host builds AppFunc pipelines only.");
        }

        AppFunc app = environment =>
        {
            environment["owin.ResponseStatusCode"] = 404;
            return Task.CompletedTask;
        };
        for (var i = _middleware.Count - 1; i >= 0; i--)
        {
            var (type, args) = _middleware[i];
            var constructorArguments = new object[args.Length + 1];
            constructorArguments[0] = app;
            args.CopyTo(constructorArguments, 1);
            var instance = Activator.CreateInstance(type, constructorArguments)!;
            var invoke = type.GetMethod("Invoke", BindingFlags.Public | BindingFlags.Instance, [typeof(IDictionary<string, object>)])!;
            app = invoke.CreateDelegate<AppFunc>(instance);
        }

        return app;
    }

    public IAppBuilder New() => throw new NotSupportedException("Branching is not needed here.");

    /// <summary>The host's stop: <c>host.OnAppDisposing</c> is cancelled.</summary>
    public void Stop() => _appDisposing.Cancel();

    public void Dispose() => _appDisposing.Dispose();
}
