// The real servers the test fixtures (tests/HealthEndpoint.Testing) start: PostgreSQL, Redis and MariaDB
// binaries, installed via apt when missing; and curl, the real client the host conformance suite sends uploads with.
// The fixtures run their own servers in temp folders on free loopback ports.

const string PostgresBinGlob = "/usr/lib/postgresql/*/bin/initdb";
const string RedisServerName = "redis-server";
const string MariaDbServerName = "mariadbd";
const string ServerAptPackages = "postgresql redis-server mariadb-server curl";

Task("EnsureServerBinaries")
    .Description("Installs PostgreSQL, Redis and MariaDB server binaries via apt when missing (root only).")
    .Does(() =>
{
    var missing = FindMissingServerBinaries();
    if (missing.Count == 0)
    {
        Information("Server binaries found: {0}, {1}, {2}.", GetFiles(PostgresBinGlob).Last(), FindRedisServer(), FindMariaDbServer());
        return;
    }

    Warning("Missing server binaries: {0}.", string.Join(", ", missing));
    // Debian's postinst may start a "main" cluster on 5432, a redis on 6379 and a MariaDB on 3306. That does not
    // matter: the fixtures start their own servers in temp folders on free loopback ports.
    AptInstallOrFail(ServerAptPackages, "The integration tests (real PostgreSQL, Redis and MariaDB)");

    missing = FindMissingServerBinaries();
    if (missing.Count > 0)
    {
        throw new CakeException($"Still missing after apt-get: {string.Join(", ", missing)}.");
    }
});

List<string> FindMissingServerBinaries()
{
    var missing = new List<string>();
    if (!GetFiles(PostgresBinGlob).Any())
    {
        missing.Add($"PostgreSQL initdb ({PostgresBinGlob})");
    }

    if (FindRedisServer() == null)
    {
        missing.Add(RedisServerName);
    }

    if (FindOnPath("curl") == null)
    {
        missing.Add("curl");
    }

    if (FindMariaDbServer() == null)
    {
        missing.Add($"{MariaDbServerName} (mariadb-server)");
    }

    return missing;
}

string FindRedisServer() => FindOnPath(RedisServerName);

string FindMariaDbServer() => FindOnPath(MariaDbServerName);
