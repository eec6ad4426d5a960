// Arguments and the paths every other build/*.cake file shares; #loaded first by build.cake.
// Everything the build produces goes to artifacts/.

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

var solution = File("./HealthEndpoint.Owin.sln");
var artifactsDirectory = Directory("./artifacts");
var testResultsDirectory = artifactsDirectory + Directory("test-results");
var packagesDirectory = artifactsDirectory + Directory("packages");
var benchDirectory = artifactsDirectory + Directory("bench");

// The shipped projects: every project under src/ is packed (build/packages.cake); nothing else is.
const string ShippedProjectsGlob = "./src/**/*.csproj";
