using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.HttpListener;

namespace HttpListenerStartRace;

/// <summary>
/// Starts <see cref="HttpListenerOwinServer"/> again and again, each time on a new port while 8 loopback sockets
/// connect to it in a loop (a load balancer probing a restarting app), and asks it for one answer. Prints one line
/// per outcome: <c>raced</c> each time HttpListener.Start() threw and the server logged StartRaced, <c>served</c>
/// for a start that answered, <c>failed: ...</c> for one that did not start or did not answer.
/// </summary>
/// <remarks>
/// Usage: <c>HttpListenerStartRace &lt;races&gt; &lt;starts&gt;</c>: stops once the race has happened
/// <c>races</c> times or after <c>starts</c> starts. It runs in its own process because the same race can also
/// surface on one of HttpListener's own thread-pool callbacks, which ends the process (the server's
/// StartCallbackGate is there to prevent it): its parent counts a process that ends so.
/// </remarks>
public static class Program
{
    private const int Connectors = 8;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[0], out var racesWanted) || !int.TryParse(args[1], out var maxStarts))
        {
            await Console.Error.WriteLineAsync("usage: HttpListenerStartRace <races> <starts>");
            return 2;
        }

        var logger = new RaceLogger();
        for (var start = 0; start < maxStarts && logger.Races < racesWanted; start++)
        {
            var outcome = await StartUnderConnectLoopAsync(FreePort(), logger);
            Console.WriteLine(outcome);
        }

        return 0;
    }

    private static async Task<string> StartUnderConnectLoopAsync(int port, RaceLogger logger)
    {
        using var stop = new CancellationTokenSource();
        var connecting = Task.WhenAll(Enumerable.Range(0, Connectors).Select(_ => ConnectRepeatedlyAsync(port, stop.Token)));
        try
        {
            return await StartAndServeAsync(port, logger);
        }
        finally
        {
            await stop.CancelAsync();
            await connecting;
        }
    }

    private static async Task<string> StartAndServeAsync(int port, RaceLogger logger)
    {
        var options = new HttpListenerOwinServerOptions { Logger = logger };
        options.Prefixes.Add($"http://127.0.0.1:{port}/");
        try
        {
            await using var server = new HttpListenerOwinServer(_ => Task.CompletedTask, options);
            await server.StartAsync();
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/started"));
            return response.IsSuccessStatusCode ? "served" : $"failed: answered {(int)response.StatusCode}";
        }
        catch (Exception exception) when (exception is ArgumentNullException or HttpListenerException or HttpRequestException or TaskCanceledException)
        {
            return $"failed: {exception.GetType().Name}: {exception.Message}";
        }
    }

    private static async Task ConnectRepeatedlyAsync(int port, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, stop);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                await Task.Yield();
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
