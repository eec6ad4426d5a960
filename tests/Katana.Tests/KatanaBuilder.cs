using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Owin;
using Owin;

namespace HealthEndpoint.Owin.Katana.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// Katana's own pipeline builder, <c>Microsoft.Owin.Builder.AppBuilder</c>, set up as Katana's hosting engine
/// (Microsoft.Owin.Hosting) sets it up, and Microsoft.Owin's <c>IAppBuilder</c> extension methods.
/// </summary>
/// <remarks>
/// Microsoft.Owin was compiled against Katana's signed Owin.dll; the <c>IAppBuilder</c> here is the repository's
/// unsigned test fixture of the same name and version (tests/Fixtures/Owin). The runtime binds Microsoft.Owin's
/// reference to it by name and version, so Katana's AppBuilder implements this very interface. The C# compiler
/// compares strong names, though: Microsoft.Owin's members typed with its <c>IAppBuilder</c> (<c>new AppBuilder()</c>,
/// <c>app.Map(...)</c>, <c>app.Run(...)</c>) do not compile here (CS0012), so this class reaches them by reflection.
/// </remarks>
internal static class KatanaBuilder
{
    private static readonly Assembly MicrosoftOwin = typeof(OwinMiddleware).Assembly;

    /// <summary>
    /// A new <c>Microsoft.Owin.Builder.AppBuilder</c> with the startup properties Katana's hosting engine gives the
    /// app's <c>Configuration(IAppBuilder)</c>: <c>owin.Version</c>, <c>host.AppName</c> and <c>host.OnAppDisposing</c>.
    /// </summary>
    public static IAppBuilder New(CancellationToken appDisposing)
    {
        var type = MicrosoftOwin.GetType("Microsoft.Owin.Builder.AppBuilder", throwOnError: true)!;
        var builder = (IAppBuilder)Activator.CreateInstance(type)!;
        builder.Properties["owin.Version"] = "1.0";
        builder.Properties["host.AppName"] = "katana-tests";
        builder.Properties["host.OnAppDisposing"] = appDisposing;
        return builder;
    }

    /// <summary>The pipeline as an OWIN <c>AppFunc</c>, which is what our hosts serve.</summary>
    public static AppFunc Build(IAppBuilder builder) => (AppFunc)builder.Build(typeof(AppFunc));

    /// <summary><c>app.Map(pathMatch, configuration)</c>.</summary>
    public static IAppBuilder Map(IAppBuilder app, string pathMatch, Action<IAppBuilder> configuration) =>
        Call("Map", app, pathMatch, configuration);

    /// <summary><c>app.MapWhen(predicate, configuration)</c>.</summary>
    public static IAppBuilder MapWhen(IAppBuilder app, Func<IOwinContext, bool> predicate, Action<IAppBuilder> configuration) =>
        Call("MapWhen", app, predicate, configuration);

    /// <summary><c>app.UseStageMarker(stage)</c>.</summary>
    public static IAppBuilder UseStageMarker(IAppBuilder app, PipelineStage stage) =>
        Call("UseStageMarker", app, stage);

    // Microsoft.Owin's one public extension method of that name whose parameters after the IAppBuilder take these
    // arguments (Map has a string and a PathString overload).
    private static IAppBuilder Call(string methodName, IAppBuilder app, params object[] arguments)
    {
        var method = MicrosoftOwin.GetExportedTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Single(candidate => candidate.Name == methodName && Matches(candidate.GetParameters(), arguments));
        try
        {
            return (IAppBuilder)method.Invoke(null, [app, .. arguments])!;
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    private static bool Matches(ParameterInfo[] parameters, object[] arguments) =>
        parameters.Length == arguments.Length + 1
        && parameters[0].ParameterType == typeof(IAppBuilder)
        && parameters.Skip(1).Zip(arguments).All(pair => pair.First.ParameterType.IsInstanceOfType(pair.Second));
}
