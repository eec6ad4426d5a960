// The programs tests/Recipes.Tests runs docs/recipes/ with: reverse proxies, the monitoring plugin and icinga2,
// installed via apt when missing without starting their services.

// Binary → Debian package.
var recipeBinaries = new Dictionary<string, string>
{
    ["/usr/sbin/haproxy"] = "haproxy",
    ["/usr/bin/caddy"] = "caddy",
    ["/usr/sbin/nginx"] = "nginx",
    ["/usr/sbin/lighttpd"] = "lighttpd",
    ["/usr/lib/nagios/plugins/check_http"] = "monitoring-plugins-basic",
    // icinga2 daemon -C validates docs/recipes/icinga-probe.md's CheckCommand; the tests start no daemon.
    ["/usr/sbin/icinga2"] = "icinga2",
    // A real Prometheus scrapes LegacyApp's metrics path, and promtool checks the page (tests/LegacyApp.Tests).
    ["/usr/bin/prometheus"] = "prometheus",
    ["/usr/bin/promtool"] = "prometheus",
};

const string PolicyRcPath = "/usr/sbin/policy-rc.d";

Task("EnsureRecipeBinaries")
    .Description("Installs haproxy, caddy, nginx, lighttpd, check_http, icinga2 and prometheus via apt when missing (root only); starts no service.")
    .Does(() =>
{
    var missing = recipeBinaries.Where(binary => !FileExists(binary.Key)).ToList();
    if (missing.Count == 0)
    {
        Information("Recipe binaries found: {0}.", string.Join(", ", recipeBinaries.Keys));
        return;
    }

    var packages = string.Join(" ", missing.Select(binary => binary.Value).Distinct());
    Warning("Missing recipe binaries: {0}.", string.Join(", ", missing.Select(binary => binary.Key)));

    // Debian's maintainer scripts start what they install (nginx and lighttpd on port 80, the icinga2 daemon) unless
    // policy-rc.d says no (exit 101). Put one in place for the install when there is none, and only then remove it.
    var wasListeningOn80 = IsListening(80);
    var canInstall = IsRunningOnLinux() && Environment.IsPrivilegedProcess && FileExists("/usr/bin/apt-get");
    var ownPolicy = canInstall && !System.IO.File.Exists(PolicyRcPath);
    if (ownPolicy)
    {
        System.IO.File.WriteAllText(PolicyRcPath, "#!/bin/sh\n# Written by build/recipes.cake (EnsureRecipeBinaries) for one apt-get install.\nexit 101\n");
        System.IO.File.SetUnixFileMode(PolicyRcPath, (UnixFileMode)Convert.ToInt32("755", 8));
    }

    try
    {
        AptInstallOrFail(packages, "The recipe checks (tests/Recipes.Tests)");
    }
    finally
    {
        if (ownPolicy)
        {
            System.IO.File.Delete(PolicyRcPath);
        }
    }

    var stillMissing = recipeBinaries.Keys.Where(path => !FileExists(path)).ToList();
    if (stillMissing.Count > 0)
    {
        throw new CakeException($"Still missing after apt-get: {string.Join(", ", stillMissing)}.");
    }

    if (!wasListeningOn80 && IsListening(80))
    {
        throw new CakeException("Something listens on port 80 since the install; a package started its service. Stop it by its PID.");
    }
});
