using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ReadmeKatana
{
    using AppFunc = Func<IDictionary<string, object>, Task>;

    /// <summary>
    /// Runs the README's Katana quick start (<c>MyApp.Startup</c>, compiled from the README as printed) built by Katana's
    /// own AppBuilder (<see cref="KatanaHostingEngine"/>), in process, and prints one line per request: "name status
    /// body". Readme.Tests runs this under mono, with the &lt;system.diagnostics&gt; block of docs/dotnet-framework.md as
    /// its app.config.
    /// </summary>
    internal static class Program
    {
        private const int Probes = 1000;

        private static int Main()
        {
            Print("runtime", 0, Type.GetType("Mono.Runtime") != null ? "mono" : "other");
            QuickStart();
            SessionsBeforeOurs();
            InABranch();
            FailingCheck();
            return 0;
        }

        // The quick start as printed, the app's own middleware after it (a session middleware, then the app), then the
        // host's stop.
        private static void QuickStart()
        {
            using (var engine = new KatanaHostingEngine())
            {
                var sessions = new int[1];
                var app = engine.Build(builder =>
                {
                    NewStartup().Configuration(builder);
                    builder.Use(typeof(SessionMiddleware), sessions);
                    builder.Use(typeof(AppMiddleware));
                });

                Send(app, "ping", "/healthz/ping");
                Send(app, "status", "/healthz/status");
                Probe(app);
                Print("probe-sessions", 0, sessions[0].ToString());
                Send(app, "app", "/tickets");
                Print("app-sessions", 0, sessions[0].ToString());
                engine.Stop();
                Send(app, "draining-status", "/healthz/status");
                Send(app, "draining-ping", "/healthz/ping");
            }
        }

        // The control: the same session middleware before the quick start's middleware sees every probe.
        private static void SessionsBeforeOurs()
        {
            using (var engine = new KatanaHostingEngine())
            {
                var sessions = new int[1];
                var app = engine.Build(builder =>
                {
                    builder.Use(typeof(SessionMiddleware), sessions);
                    NewStartup().Configuration(builder);
                    builder.Use(typeof(AppMiddleware));
                });
                Probe(app);
                Print("control-probe-sessions", 0, sessions[0].ToString());
            }
        }

        // The quick start inside Katana's app.Map("/rt", ...): the endpoints under the branch, Katana's 404 outside.
        private static void InABranch()
        {
            using (var engine = new KatanaHostingEngine())
            {
                var app = engine.Build(builder => KatanaHostingEngine.Map(builder, "/rt", branch =>
                {
                    NewStartup().Configuration(branch);
                    branch.Use(typeof(AppMiddleware));
                }));
                Send(app, "map-ping", "/rt/healthz/ping");
                Send(app, "map-app", "/rt/tickets");
                Send(app, "map-outside-ping", "/healthz/ping");
            }
        }

        // The quick start with its database down: the answer says only "fail"; why goes to the trace source.
        private static void FailingCheck()
        {
            var closed = Environment.GetEnvironmentVariable("README_KATANA_CLOSED_CONNECTION_STRING");
            if (string.IsNullOrEmpty(closed))
            {
                return;
            }

            using (var engine = new KatanaHostingEngine())
            {
                var startup = new MyApp.Startup { ConnectionString = closed };
                var app = engine.Build(startup.Configuration);
                Send(app, "failing-status", "/healthz/status");
            }
        }

        private static MyApp.Startup NewStartup()
        {
            var startup = new MyApp.Startup();
            var connectionString = Environment.GetEnvironmentVariable("README_KATANA_CONNECTION_STRING");
            if (!string.IsNullOrEmpty(connectionString))
            {
                startup.ConnectionString = connectionString;
            }

            return startup;
        }

        private static void Probe(AppFunc app)
        {
            for (var i = 0; i < Probes; i++)
            {
                Invoke(app, i % 2 == 0 ? "/healthz/ping" : "/healthz/status");
            }
        }

        private static void Send(AppFunc app, string name, string path)
        {
            var environment = Invoke(app, path);
            object status;
            var body = (MemoryStream)environment["owin.ResponseBody"];
            Print(name, environment.TryGetValue("owin.ResponseStatusCode", out status) ? (int)status : 200, Encoding.UTF8.GetString(body.ToArray()));
        }

        // A request as a Katana host hands it over: no host.OnAppDisposing in it (only in the startup properties).
        private static IDictionary<string, object> Invoke(AppFunc app, string path)
        {
            var environment = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                { "owin.Version", "1.0" },
                { "owin.RequestMethod", "GET" },
                { "owin.RequestScheme", "http" },
                { "owin.RequestPathBase", string.Empty },
                { "owin.RequestPath", path },
                { "owin.RequestQueryString", string.Empty },
                { "owin.RequestProtocol", "HTTP/1.1" },
                { "owin.RequestHeaders", new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { { "Host", new[] { "localhost" } } } },
                { "owin.RequestBody", Stream.Null },
                { "owin.ResponseHeaders", new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) },
                { "owin.ResponseBody", new MemoryStream() },
                { "owin.CallCancelled", CancellationToken.None },
            };
            app(environment).GetAwaiter().GetResult();
            return environment;
        }

        private static void Print(string name, int status, string body)
        {
            Console.WriteLine(name + " " + status + " " + body);
        }
    }
}
