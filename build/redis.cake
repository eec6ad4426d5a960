// The Redis check on the StackExchange.Redis versions apps use (docs/checks.md, redis).
//   Test:        the Redis suite once more per newer client (the solution pass already ran it on the floor).
//   PackageTest: a consumer app per client, an app like the README's AppFunc quick start with its own multiplexer, against artifacts/packages.

// The floor the library is compiled against comes from Directory.Packages.props; the others are what apps run.
string RedisClientFloor() =>
    XDocument.Load("./Directory.Packages.props").Descendants("RedisClientFloor").Single().Value;

string[] RedisClientVersions() => new[] { RedisClientFloor(), "2.8.16", "3.4.35" };

const string RedisSuiteProject = "tests/HealthEndpoint.Owin.Redis.Tests/HealthEndpoint.Owin.Redis.Tests.csproj";

// The Redis suite once per newer client, as Test passes (build/tests.cake): each builds into
// artifacts/redis-clients/<version>/ and writes its own trx, so the totals count every pass.
IEnumerable<TestPass> RedisClientSuitePasses() => RedisClientVersions().Skip(1).Select(version => new TestPass(
    $"HealthEndpoint.Owin.Redis.Tests on StackExchange.Redis {version}",
    new[]
    {
        "test", RedisSuiteProject, "--configuration", configuration,
        "--results-directory", MakeAbsolute(testResultsDirectory).FullPath,
        "--logger", $"trx;LogFileName=HealthEndpoint.Owin.Redis.Tests-client-{version}.trx", "--logger", "console;verbosity=minimal",
        // The libraries were built by Build; only the suite is compiled again, against this client.
        "-p:ContinuousIntegrationBuild=true", $"-p:RedisClientVersion={version}", "-p:BuildProjectReferences=false",
    }));

// For each client: a real redis-server on a free loopback port, the consumer app built from artifacts/packages
// outside the repository, "redis ok", then "redis fail <ms>" within the deadline once the app has stopped Redis.
void CheckRedisConsumers(string healthEndpointVersion)
{
    foreach (var version in RedisClientVersions())
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-redis-consumer-" + Guid.NewGuid().ToString("N"));
        CopyDirectory("./tests/RedisConsumer", folder);
        WriteLocalNuGetConfig(folder, withNuGetOrg: true);
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
                throw new CakeException($"An app like the README's AppFunc quick start on StackExchange.Redis {version} did not report redis ok, then fail within the deadline (exit {exitCode}).");
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
