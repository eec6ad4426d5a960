using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>
/// What every recipe stands in front of: a real PostgreSQL and LegacyApp in its own process, configured the way
/// the README deploys it (<c>Urls</c>, <c>Database__Provider=Npgsql</c>, <c>Database__ConnectionString</c>).
/// </summary>
internal sealed class RecipeStack : IAsyncDisposable
{
    private RecipeStack(PostgresServer database, ForegroundProcess app, string pathBase, string temporaryDirectory)
    {
        Database = database;
        App = app;
        AppAddress = $"127.0.0.1:{app.Port}";
        AppBaseUri = new Uri($"http://{AppAddress}{pathBase}");
        TemporaryDirectory = temporaryDirectory;
    }

    /// <summary>The PostgreSQL the app's database check uses; stop and start it to drive the recipes.</summary>
    public PostgresServer Database { get; }

    /// <summary>The LegacyApp process.</summary>
    public ForegroundProcess App { get; }

    /// <summary><c>127.0.0.1:port</c> of the app: what replaces a recipe's <c>127.0.0.1:8080</c>.</summary>
    public string AppAddress { get; }

    /// <summary>The app's listener prefix, e.g. <c>http://127.0.0.1:port/rt/</c>.</summary>
    public Uri AppBaseUri { get; }

    /// <summary>A folder for the proxy's config, pid, log and temp files; deleted on dispose.</summary>
    public string TemporaryDirectory { get; }

    /// <summary>
    /// Starts PostgreSQL, then LegacyApp listening on <c>http://127.0.0.1:port{pathBase}</c>, with
    /// <paramref name="settings"/> (environment variables such as <c>HealthEndpoint__AllowedNetworks</c>) on top.
    /// </summary>
    public static async Task<RecipeStack> StartAsync(string pathBase = "/", IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = await PostgresServer.StartAsync();
        try
        {
            var app = await ForegroundProcess.StartAsync("LegacyApp", port =>
            {
                var command = new ProgramCommand("dotnet", [LegacyAppDll()]);
                command.Environment["Urls"] = $"http://127.0.0.1:{port}{pathBase}";
                command.Environment["Database__Provider"] = "Npgsql";
                command.Environment["Database__ConnectionString"] = database.ConnectionString;
                foreach (var (name, value) in settings ?? new Dictionary<string, string>())
                {
                    command.Environment[name] = value;
                }

                return command;
            });
            try
            {
                await WaitServingAsync(app, new Uri($"http://127.0.0.1:{app.Port}{pathBase}healthz/ping"));
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            var temporaryDirectory = Directory.CreateTempSubdirectory("healthendpoint-recipe-").FullName;
            return new RecipeStack(database, app, pathBase, temporaryDirectory);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    // A port that accepts is not yet an app that answers: when the start-up poll's connection races HttpListener's
    // bind (docs/hosting.md, Known limits of the HttpListener host: StartRaced), that listener is dropped and the connections it took are reset. CI
    // saw the first request fail so, through nginx and from check_http; here 1 start in 60 under load. Like an
    // operator who starts the proxy once the app answers, wait for an HTTP answer on ping (404 when the allowlist
    // leaves 127.0.0.1 out).
    private static async Task WaitServingAsync(ForegroundProcess app, Uri ping)
    {
        using var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(5);
        await Poll.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync(ping);
                return !app.HasExited;
            },
            TimeSpan.FromSeconds(30),
            $"LegacyApp to answer {ping}");
    }

    /// <summary>A path inside <see cref="TemporaryDirectory"/>.</summary>
    public string TempPath(string name) => Path.Combine(TemporaryDirectory, name);

    /// <summary>An HttpClient that, like a probe, sends no cookies and follows no redirects.</summary>
    public static HttpClient CreateClient() =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(TemporaryDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the run; the OS cleans /tmp.
        }
    }

    /// <summary>The sample's own build output (built with the solution, like LegacyApp.Tests uses it).</summary>
    public static string LegacyAppDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var output = Path.Combine(RecipeFile.RepositoryRoot(), "samples", "LegacyApp", "bin", configuration, "net10.0");
        return Directory.GetFiles(output, "LegacyApp.dll", SearchOption.AllDirectories).Single();
    }
}
