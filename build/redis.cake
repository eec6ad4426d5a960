// The Redis check on the StackExchange.Redis versions apps use (README, Checks → redis). Loaded by build.cake.
//   Test:        the Redis suite once more per newer client (the solution pass already ran it on the floor).
//   PackageTest: a consumer app per client, README style 1 with its own multiplexer, against artifacts/packages.

// The floor the library is compiled against comes from Directory.Packages.props; the others are what apps run.
string RedisClientFloor() =>
    XDocument.Load("./Directory.Packages.props").Descendants("RedisClientFloor").Single().Value;

string[] RedisClientVersions() => new[] { RedisClientFloor(), "2.8.16", "3.4.35" };

const string RedisSuiteProject = "tests/HealthEndpoint.Owin.Redis.Tests/HealthEndpoint.Owin.Redis.Tests.csproj";

// Runs the Redis suite on each newer client; each pass builds into artifacts/redis-clients/<version>/ and writes
// its own trx, so the totals count every pass. Returns the first failure instead of throwing.
Exception RunRedisClientSuites(string configuration, DirectoryPath resultsDirectory)
{
    Exception failure = null;
    foreach (var version in RedisClientVersions().Skip(1))
    {
        try
        {
            DotNetTest(RedisSuiteProject, new DotNetTestSettings
            {
                Configuration = configuration,
                ResultsDirectory = resultsDirectory,
                Loggers = new[] { $"trx;LogFileName=HealthEndpoint.Owin.Redis.Tests-client-{version}.trx", "console;verbosity=minimal" },
                // The libraries were built by Build; only the suite is compiled again, against this client.
                MSBuildSettings = ContinuousIntegrationSettings()
                    .WithProperty("RedisClientVersion", version)
                    .WithProperty("BuildProjectReferences", "false"),
            });
        }
        catch (Exception exception)
        {
            failure ??= new CakeException($"Redis suite on StackExchange.Redis {version}: {exception.Message}");
        }
    }

    return failure;
}

// For each client: a real redis-server on a free loopback port, the consumer app built from artifacts/packages
// outside the repository, "redis ok", then "redis fail <ms>" within the deadline once the app has stopped Redis.
void CheckRedisConsumers(string healthEndpointVersion)
{
    foreach (var version in RedisClientVersions())
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-redis-consumer-" + Guid.NewGuid().ToString("N"));
        CopyDirectory("./tests/RedisConsumer", folder);
        System.IO.File.WriteAllText(System.IO.Path.Combine(folder, "nuget.config"), $@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources>
    <clear />
    <add key=""local"" value=""{MakeAbsolute(packagesDirectory).FullPath}"" />
    <add key=""nuget.org"" value=""https://api.nuget.org/v3/index.json"" />
  </packageSources>
  <config><add key=""globalPackagesFolder"" value=""{folder}/packages"" /></config>
</configuration>");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var redis = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(FindRedisServer(),
            $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --dir {folder} --logfile {folder}/redis.log")
        {
            UseShellExecute = false,
        });
        try
        {
            var exitCode = StartProcess("dotnet", new ProcessSettings
            {
                Arguments = $"run --project {folder} -p:HealthEndpointVersion={healthEndpointVersion} -p:RedisClientVersion={version} -- 127.0.0.1:{port},abortConnect=false {redis.Id}",
                RedirectStandardOutput = true,
            }, out var redirected);
            var lines = redirected.ToList();
            Information("StackExchange.Redis {0} consumer: {1}", version, string.Join(" | ", lines.Where(line => !line.Contains(": warning NU1603:"))));
            if (exitCode != 0 || !lines.Contains("redis ok") || !lines.Any(line => line.StartsWith("redis fail ", StringComparison.Ordinal)))
            {
                throw new CakeException($"A README style 1 app on StackExchange.Redis {version} did not report redis ok, then fail within the deadline (exit {exitCode}).");
            }
        }
        finally
        {
            if (!redis.HasExited)
            {
                redis.Kill();
                redis.WaitForExit();
            }

            DeleteDirectory(folder, new DeleteDirectorySettings { Recursive = true, Force = true });
        }
    }
}
