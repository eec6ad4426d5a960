using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>
/// docs/recipes/rolling-restart.md on this machine: a real PostgreSQL, three LegacyApp instances on ports of their
/// own (the unit's <c>Host__DrainDelay</c>, or none), and HAProxy running the recipe's <c>haproxy.cfg</c>.
/// </summary>
internal sealed partial class RollingRestartStack : IAsyncDisposable
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] RecipePorts = ["127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083"];

    private readonly string _temporaryDirectory = Directory.CreateTempSubdirectory("healthendpoint-rolling-").FullName;
    private readonly RestartableApp?[] _apps = new RestartableApp?[RecipePorts.Length];
    private PostgresServer? _database;
    private ForegroundProcess? _haproxy;

    private RollingRestartStack()
    {
    }

    /// <summary>HAProxy's frontend: where the users' requests go.</summary>
    public Uri FrontendUri => new($"http://127.0.0.1:{_haproxy!.Port}/");

    /// <summary>How many instances the recipe runs.</summary>
    public static int InstanceCount => RecipePorts.Length;

    /// <summary>The drain window the recipe's unit sets (<c>Environment=Host__DrainDelay=…</c>).</summary>
    public static string RecipeDrainDelay()
    {
        var unit = RecipeFile.Load("rolling-restart.md").Block("legacyapp@.service").Text;
        var match = DrainDelayLine().Match(unit);
        return match.Success ? match.Groups["value"].Value : throw new InvalidOperationException("The unit sets no Host__DrainDelay.");
    }

    /// <summary>Everything the instances and HAProxy wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            var output = string.Empty;
            foreach (var app in _apps)
            {
                output += $"--- {app?.Name}{Environment.NewLine}{app?.Output}";
            }

            return output + $"--- haproxy{Environment.NewLine}{_haproxy?.Output}";
        }
    }

    /// <summary>
    /// Starts PostgreSQL, the three instances on <paramref name="server"/> (<c>HttpListener</c> or <c>Kestrel</c>),
    /// with <paramref name="drainDelay"/> as <c>Host__DrainDelay</c> (the first <paramref name="undrained"/> of them
    /// with none, for a control), and HAProxy; returns once HAProxy has every instance UP.
    /// </summary>
    public static async Task<RollingRestartStack> StartAsync(string server, string drainDelay, int undrained)
    {
        var stack = new RollingRestartStack();
        try
        {
            await stack.StartPartsAsync(server, drainDelay, undrained);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What the recipe's script does for instance <paramref name="index"/>: SIGTERM, wait for the exit, spend
    /// <paramref name="upgrade"/> (installing the new version), start it again — with
    /// <paramref name="drainDelayFromNow"/> as its <c>Host__DrainDelay</c> (null: none) — and wait until HAProxy has
    /// it UP. Returns how long it was stopping and how long until it was UP again.
    /// </summary>
    public async Task<string> RestartAsync(int index, TimeSpan upgrade, string? drainDelayFromNow)
    {
        var app = _apps[index]!;
        var clock = Stopwatch.StartNew();
        await app.StopAsync();
        var stopped = clock.Elapsed;
        await Task.Delay(upgrade);
        SetDrainDelay(app.Command, drainDelayFromNow);
        await app.StartAsync();
        await WaitUntilUpAsync(app);
        return $"{app.Name}: exited {stopped.TotalSeconds:0.0} s after SIGTERM, UP again after {clock.Elapsed.TotalSeconds:0.0} s";
    }

    public async ValueTask DisposeAsync()
    {
        if (_haproxy is not null)
        {
            await _haproxy.DisposeAsync();
        }

        foreach (var app in _apps)
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        try
        {
            Directory.Delete(_temporaryDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the run; the OS cleans /tmp.
        }
    }

    private async Task StartPartsAsync(string server, string drainDelay, int undrained)
    {
        _database = await PostgresServer.StartAsync();
        for (var i = 0; i < _apps.Length; i++)
        {
            var port = FreeTcpPort.Next();
            var command = new ProgramCommand("dotnet", [RecipeStack.LegacyAppDll()]);
            command.Environment["Urls"] = $"http://127.0.0.1:{port}/";
            command.Environment["Host__Server"] = server;
            command.Environment["Database__Provider"] = "Npgsql";
            // Three pools of 25 stay below PostgreSQL's 100 connections, whichever instance gets the clients.
            command.Environment["Database__ConnectionString"] = _database.ConnectionString + ";Maximum Pool Size=25";
            SetDrainDelay(command, i < undrained ? null : drainDelay);
            _apps[i] = new RestartableApp($"app{i + 1}", port, command);
            await _apps[i]!.StartAsync();

            // The first page creates the table; PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against
            // another instance doing the same at the same moment, so each instance gets its first page alone.
            await WaitForPageAsync(port);
        }

        var recipe = RecipeFile.Load("rolling-restart.md");
        _haproxy = await ForegroundProcess.StartAsync("haproxy", port =>
        {
            var config = recipe.Block("haproxy.cfg")
                .Replace("127.0.0.1:8000", $"127.0.0.1:{port}")
                .Replace("/run/haproxy/admin.sock", Path.Combine(_temporaryDirectory, "admin.sock"));
            for (var i = 0; i < _apps.Length; i++)
            {
                config.Replace(RecipePorts[i], $"127.0.0.1:{_apps[i]!.Port}");
            }

            return new ProgramCommand("/usr/sbin/haproxy", ["-db", "-f", config.WriteTo(Path.Combine(_temporaryDirectory, "haproxy.cfg"))]);
        });
        foreach (var app in _apps)
        {
            await WaitUntilUpAsync(app!);
        }
    }

    private static void SetDrainDelay(ProgramCommand command, string? drainDelay)
    {
        if (drainDelay is null)
        {
            command.Environment.Remove("Host__DrainDelay");
        }
        else
        {
            command.Environment["Host__DrainDelay"] = drainDelay;
        }
    }

    private static async Task WaitForPageAsync(int port)
    {
        using var client = RecipeStack.CreateClient();
        await Poll.UntilAsync(
            async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{port}/"))).StatusCode == HttpStatusCode.OK,
            UpTimeout,
            $"the app's page on port {port}");
    }

    private async Task WaitUntilUpAsync(RestartableApp app)
    {
        var socket = Path.Combine(_temporaryDirectory, "admin.sock");
        var last = "(nothing yet)";
        try
        {
            await Poll.UntilAsync(
                async () => (last = await HaproxyRuntimeApi.ServerStatusAsync(socket, "rt_app", app.Name)) == "UP",
                UpTimeout,
                $"HAProxy to have {app.Name} UP");
        }
        catch (TimeoutException exception)
        {
            throw new AssertionException($"{exception.Message} Last status: '{last}'.{Environment.NewLine}{Output}", exception);
        }
    }

    [GeneratedRegex(@"^Environment=Host__DrainDelay=(?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex DrainDelayLine();
}
