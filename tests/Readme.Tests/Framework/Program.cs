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
    /// Runs the README's Katana quick start (<c>MyApp.Startup</c>, compiled from the README as printed) under a host of
    /// Katana's convention, and prints one line per request: "name status body". Readme.Tests runs this under mono.
    /// </summary>
    internal static class Program
    {
        private static int Main()
        {
            var connectionString = Environment.GetEnvironmentVariable("README_KATANA_CONNECTION_STRING");
            using (var host = new KatanaConventionHost())
            {
                var startup = new MyApp.Startup();
                if (!string.IsNullOrEmpty(connectionString))
                {
                    startup.ConnectionString = connectionString;
                }

                startup.Configuration(host);
                var app = (AppFunc)host.Build(typeof(AppFunc));

                Print("runtime", 0, Type.GetType("Mono.Runtime") != null ? "mono" : "other");
                Send(app, "ping", "/healthz/ping");
                Send(app, "status", "/healthz/status");
                Send(app, "app", "/tickets");
                host.Stop();
                Send(app, "draining-status", "/healthz/status");
                Send(app, "draining-ping", "/healthz/ping");
            }

            return 0;
        }

        private static void Send(AppFunc app, string name, string path)
        {
            var body = new MemoryStream();
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
                { "owin.ResponseBody", body },
                { "owin.CallCancelled", CancellationToken.None },
            };
            app(environment).GetAwaiter().GetResult();
            object status;
            Print(name, environment.TryGetValue("owin.ResponseStatusCode", out status) ? (int)status : 200, Encoding.UTF8.GetString(body.ToArray()));
        }

        private static void Print(string name, int status, string body)
        {
            Console.WriteLine(name + " " + status + " " + body);
        }
    }
}
