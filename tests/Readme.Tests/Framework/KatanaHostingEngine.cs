using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Owin;
using Owin;

namespace ReadmeKatana
{
    using AppFunc = Func<IDictionary<string, object>, Task>;

    /// <summary>
    /// What Katana's hosting engine (Microsoft.Owin.Hosting) does with a startup class, with Katana's own pipeline
    /// builder, <c>Microsoft.Owin.Builder.AppBuilder</c> (Microsoft.Owin 4.2.2): a new builder whose startup properties
    /// carry <c>host.OnAppDisposing</c> (and not each request), the app's <c>Configuration(IAppBuilder)</c>, then
    /// <c>Build(typeof(AppFunc))</c>; cancelling the token is the host's stop. Katana's hosts themselves are not
    /// served here. <c>IAppBuilder</c> comes from the repository's unsigned test package <c>Owin</c> 1.0.0
    /// (tests/Fixtures/Owin): Microsoft.Owin's reference to Katana's signed Owin.dll binds to it by name and version,
    /// so its members typed with <c>IAppBuilder</c> (<c>new AppBuilder()</c>, <c>app.Map</c>) are reached by
    /// reflection (the compiler compares strong names: CS0012). C# 7.3, like the project it is compiled in.
    /// </summary>
    internal sealed class KatanaHostingEngine : IDisposable
    {
        private readonly CancellationTokenSource _appDisposing = new CancellationTokenSource();

        /// <summary>Builds an app the way Katana's hosting engine builds a startup class's.</summary>
        public AppFunc Build(Action<IAppBuilder> configuration)
        {
            var type = typeof(OwinMiddleware).Assembly.GetType("Microsoft.Owin.Builder.AppBuilder", true);
            var builder = (IAppBuilder)Activator.CreateInstance(type);
            builder.Properties["owin.Version"] = "1.0";
            builder.Properties["host.AppName"] = "readme-katana";
            builder.Properties["host.OnAppDisposing"] = _appDisposing.Token;
            configuration(builder);
            return (AppFunc)builder.Build(typeof(AppFunc));
        }

        /// <summary>The host's stop: <c>host.OnAppDisposing</c> is cancelled.</summary>
        public void Stop()
        {
            _appDisposing.Cancel();
        }

        public void Dispose()
        {
            _appDisposing.Dispose();
        }

        /// <summary><c>app.Map(pathMatch, configuration)</c>, Microsoft.Owin's Owin.MapExtensions, by reflection.</summary>
        public static void Map(IAppBuilder app, string pathMatch, Action<IAppBuilder> configuration)
        {
            var map = typeof(OwinMiddleware).Assembly.GetExportedTypes()
                .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
                .Single(method => method.Name == "Map" && method.GetParameters().Length == 3 && method.GetParameters()[1].ParameterType == typeof(string));
            map.Invoke(null, new object[] { app, pathMatch, configuration });
        }
    }

    /// <summary>A Katana session middleware: a session for every request without the cookie (Microsoft.Owin's cookie API).</summary>
    public sealed class SessionMiddleware : OwinMiddleware
    {
        private readonly int[] _created;

        public SessionMiddleware(OwinMiddleware next, int[] created)
            : base(next)
        {
            _created = created;
        }

        public override Task Invoke(IOwinContext context)
        {
            if (context.Request.Cookies["session"] == null)
            {
                context.Response.Cookies.Append("session", "s" + Interlocked.Increment(ref _created[0]));
            }

            return Next.Invoke(context);
        }
    }

    /// <summary>The app's own middleware: answers every request that reaches it with its path base and path.</summary>
    public sealed class AppMiddleware : OwinMiddleware
    {
        public AppMiddleware(OwinMiddleware next)
            : base(next)
        {
        }

        public override Task Invoke(IOwinContext context)
        {
            context.Response.StatusCode = 200;
            return context.Response.WriteAsync("app " + context.Request.PathBase + context.Request.Path);
        }
    }
}
