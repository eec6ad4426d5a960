using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Owin;

namespace ReadmeKatana
{
    using AppFunc = Func<IDictionary<string, object>, Task>;

    /// <summary>
    /// A minimal host of Katana's convention (C# 7.3, net472): it puts <c>host.OnAppDisposing</c> in the startup
    /// properties only (not in each request), runs a startup class's <c>Configuration(IAppBuilder)</c>, activates
    /// middleware types as Katana's AppBuilder does (<c>Activator.CreateInstance(type, next, args...)</c>, then
    /// <c>Invoke</c> by reflection), and cancels the token when it stops. It is not Katana: Katana is not obtainable here.
    /// </summary>
    internal sealed class KatanaConventionHost : IAppBuilder, IDisposable
    {
        private readonly CancellationTokenSource _appDisposing = new CancellationTokenSource();
        private readonly List<KeyValuePair<Type, object[]>> _middleware = new List<KeyValuePair<Type, object[]>>();

        public KatanaConventionHost()
        {
            Properties = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                { "owin.Version", "1.0" },
                { "host.AppName", "readme-katana" },
                { "host.OnAppDisposing", _appDisposing.Token },
            };
        }

        public IDictionary<string, object> Properties { get; }

        public IAppBuilder Use(object middleware, params object[] args)
        {
            // Katana also takes delegates and instances; the README uses the middleware-class form only.
            _middleware.Add(new KeyValuePair<Type, object[]>((Type)middleware, args));
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
                return Task.FromResult(0);
            };
            for (var i = _middleware.Count - 1; i >= 0; i--)
            {
                var type = _middleware[i].Key;
                var args = _middleware[i].Value;
                var constructorArguments = new object[args.Length + 1];
                constructorArguments[0] = app;
                args.CopyTo(constructorArguments, 1);
                var instance = Activator.CreateInstance(type, constructorArguments);
                var invoke = type.GetMethod("Invoke", BindingFlags.Public | BindingFlags.Instance, null, new[] { typeof(IDictionary<string, object>) }, null);
                app = (AppFunc)invoke.CreateDelegate(typeof(AppFunc), instance);
            }

            return app;
        }

        public IAppBuilder New()
        {
            throw new NotSupportedException("Branching is not needed here.");
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
    }
}
