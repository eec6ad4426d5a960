// The checks PackageTest runs on artifacts/packages itself: every package's metadata and contents, and that the
// core library's DLLs are byte-identical when packed again from a fresh clone (deterministic builds).

using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;

// Packaging settings read by the checks, and the library PackageTest rebuilds elsewhere to prove determinism.
const string CoreLibraryProject = "src/HealthEndpoint.Owin/HealthEndpoint.Owin.csproj";
const string PackagingProps = "src/Directory.Build.props";

// Every library package ships like a .NET library: README, license expression, repository metadata of this
// commit, XML docs beside every DLL, and a symbol package with a PDB for each. All problems are reported at once.
void CheckPackageContents()
{
    var props = XDocument.Load(PackagingProps).Descendants();
    var versionPrefix = props.First(element => element.Name.LocalName == "VersionPrefix").Value;
    var placeholderUrl = props.First(element => element.Name.LocalName == "PlaceholderRepositoryUrl").Value;
    var commit = OutputOf("git", "rev-parse HEAD").FirstOrDefault() ?? "(no git)";
    var expectedIds = GetFiles(ShippedProjectsGlob).Select(project => project.GetFilenameWithoutExtension().ToString()).ToList();
    var problems = new List<string>();
    var placeholders = 0;

    foreach (var id in expectedIds)
    {
        var package = GetFiles($"{packagesDirectory.Path.FullPath}/{id}.{versionPrefix}*.nupkg").SingleOrDefault();
        if (package == null)
        {
            problems.Add($"{id}: no {id}.{versionPrefix}*.nupkg in {packagesDirectory.Path}");
            continue;
        }

        var problemsBefore = problems.Count;
        using var zip = ZipFile.OpenRead(package.FullPath);
        var entries = zip.Entries.Select(entry => entry.FullName).ToList();
        var nuspecEntry = zip.Entries.Single(entry => entry.FullName == $"{id}.nuspec");
        XElement metadata;
        using (var stream = nuspecEntry.Open())
        {
            metadata = XDocument.Load(stream).Root.Elements().Single(element => element.Name.LocalName == "metadata");
        }

        string Field(string name) => metadata.Elements().FirstOrDefault(element => element.Name.LocalName == name)?.Value;
        var license = metadata.Elements().FirstOrDefault(element => element.Name.LocalName == "license");
        var repository = metadata.Elements().FirstOrDefault(element => element.Name.LocalName == "repository");
        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                problems.Add($"{package.GetFilename()}: {problem}");
            }
        }

        Require(entries.Contains("README.md") && Field("readme") == "README.md", "README.md missing or not the package readme");
        // Each package carries its own short README (src/<project>/README.md), never the repository's.
        var ownReadme = System.IO.Path.Combine("src", id, "README.md");
        if (entries.Contains("README.md") && System.IO.File.Exists(ownReadme))
        {
            using var readmeReader = new System.IO.StreamReader(zip.GetEntry("README.md").Open());
            var packedReadme = readmeReader.ReadToEnd();
            Require(packedReadme == System.IO.File.ReadAllText(ownReadme), $"README.md is not {ownReadme}");
            Require(packedReadme.TrimEnd('\n').Split('\n').Length <= 80, "README.md is longer than 80 lines");
        }
        else
        {
            Require(false, $"no {ownReadme}");
        }
        Require(license?.Attribute("type")?.Value == "expression" && license.Value == "MIT", "no <license type=\"expression\">MIT</license>");
        Require(Field("version")?.StartsWith(versionPrefix, StringComparison.Ordinal) == true, $"version is not {versionPrefix}[-suffix]");
        Require(!string.IsNullOrEmpty(Field("description")) && !string.IsNullOrEmpty(Field("tags")), "description or tags missing");
        Require(!string.IsNullOrEmpty(Field("projectUrl")), "projectUrl missing");
        Require(repository?.Attribute("type")?.Value == "git" && !string.IsNullOrEmpty(repository.Attribute("url")?.Value),
            "no <repository type=\"git\" url=...>");
        Require(repository?.Attribute("commit")?.Value == commit, $"repository commit is not HEAD ({commit})");

        // A library carries lib/<tfm>/*.dll with XML docs and PDBs; a .NET tool (healthendpoint-probe) carries
        // tools/<tfm>/any/ with the tool's settings instead.
        var dlls = entries.Where(name => name.StartsWith("lib/", StringComparison.Ordinal) && name.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        var isTool = entries.Any(name => name.StartsWith("tools/", StringComparison.Ordinal) && name.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        Require(dlls.Any() || (isTool && entries.Any(name => name.StartsWith("tools/", StringComparison.Ordinal) && name.EndsWith(".dll", StringComparison.Ordinal))),
            "no lib/*/*.dll, and not a .NET tool package");
        foreach (var dll in dlls)
        {
            Require(entries.Contains(System.IO.Path.ChangeExtension(dll, ".xml")), $"{dll} has no XML documentation beside it");
        }

        var symbols = package.ChangeExtension(".snupkg");
        if (!FileExists(symbols))
        {
            Require(false, $"no symbol package {symbols.GetFilename()}");
        }
        else
        {
            using var symbolZip = ZipFile.OpenRead(symbols.FullPath);
            var pdbs = symbolZip.Entries.Select(entry => entry.FullName).ToList();
            foreach (var dll in dlls)
            {
                Require(pdbs.Contains(System.IO.Path.ChangeExtension(dll, ".pdb")), $"{dll} has no PDB in the .snupkg");
            }
        }

        placeholders += repository?.Attribute("url")?.Value == placeholderUrl ? 1 : 0;
        if (problems.Count == problemsBefore)
        {
            Information("{0}: {1} DLL(s) with XML docs and PDBs; license MIT; repository {2} @ {3}.",
                package.GetFilename(), dlls.Count, repository?.Attribute("url")?.Value, repository?.Attribute("commit")?.Value);
        }
    }

    if (placeholders > 0)
    {
        Warning("{0} package(s) carry the placeholder repository URL {1}: there is no git 'origin'. Set RepositoryUrl in {2} before publishing.",
            placeholders, placeholderUrl, PackagingProps);
    }

    if (problems.Count > 0)
    {
        throw new CakeException("Package check failed:\n  " + string.Join("\n  ", problems));
    }
}

// Two packs of one commit must hold byte-identical DLLs. The core library is packed again from a fresh clone of
// HEAD in another folder (different paths, clean obj/) and its DLLs are compared with artifacts/packages. When the
// library's sources have uncommitted changes, artifacts/ is not a pack of HEAD, so two clones are compared instead.
void CheckDeterministicPack()
{
    var dirty = OutputOf("git", "status --porcelain -- src Directory.Build.props Directory.Packages.props").Any();
    var clones = new List<string>();
    try
    {
        var first = PackCoreFromFreshClone(clones);
        var reference = dirty ? PackCoreFromFreshClone(clones) : MakeAbsolute(packagesDirectory).FullPath;
        var packageName = System.IO.Path.GetFileName(System.IO.Directory.GetFiles(first, "HealthEndpoint.Owin.*.nupkg").Single());
        var hashes = DllHashes(System.IO.Path.Combine(first, packageName));
        var referenceHashes = DllHashes(System.IO.Path.Combine(reference, packageName));
        if (hashes.Count == 0)
        {
            throw new CakeException($"No DLL to compare in {packageName}.");
        }

        foreach (var pair in hashes)
        {
            referenceHashes.TryGetValue(pair.Key, out var other);
            Information("{0} {1}: sha256 {2} / {3}", packageName, pair.Key, pair.Value, other ?? "(missing)");
            if (pair.Value != other)
            {
                throw new CakeException($"Not deterministic: {pair.Key} in {packageName} differs between {first} and {reference}.");
            }
        }

        Information("Deterministic: {0} DLL(s) byte-identical ({1}).", hashes.Count,
            dirty ? "two fresh clones of HEAD; the library sources have uncommitted changes" : "artifacts/packages and a fresh clone of HEAD");
    }
    finally
    {
        foreach (var clone in clones)
        {
            DeleteDirectory(clone, new DeleteDirectorySettings { Recursive = true, Force = true });
        }
    }
}

// Clones HEAD into a new temp folder (sharing this repository's objects, read-only), gives the clone this
// repository's origin (or none, like here), packs the core library there and returns the clone's package folder.
string PackCoreFromFreshClone(List<string> clones)
{
    var clone = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-determinism-" + Guid.NewGuid().ToString("N"));
    clones.Add(clone);
    var origin = OutputOf("git", "config --get remote.origin.url").FirstOrDefault();
    RunOrFail("git", $"clone --quiet --shared --no-checkout . {clone}");
    RunOrFail("git", $"-C {clone} checkout --quiet --detach {OutputOf("git", "rev-parse HEAD").Single()}");
    RunOrFail("git", $"-C {clone} remote remove origin");
    if (!string.IsNullOrEmpty(origin))
    {
        RunOrFail("git", $"-C {clone} remote add origin {origin}");
    }

    var output = System.IO.Path.Combine(clone, "artifacts", "packages");
    DotNetPack(System.IO.Path.Combine(clone, CoreLibraryProject), PackSettings(output, noBuild: false));
    return output;
}

Dictionary<string, string> DllHashes(string package)
{
    using var zip = ZipFile.OpenRead(package);
    using var sha = SHA256.Create();
    return zip.Entries
        .Where(entry => entry.FullName.EndsWith(".dll", StringComparison.Ordinal))
        .ToDictionary(entry => entry.FullName, entry =>
        {
            using var stream = entry.Open();
            return Convert.ToHexString(sha.ComputeHash(stream)).ToLowerInvariant();
        });
}
