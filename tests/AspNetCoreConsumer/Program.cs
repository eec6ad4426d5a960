using HealthEndpoint.AspNetCore;

// The migrated app: its checks are ASP.NET Core registrations (Xabaril's), the probes and their JSON are the Katana
// app's. Configuration: ConnectionStrings:Postgres, ConnectionStrings:Redis, DrainSeconds, and Pipeline=SessionFirst
// for the control that puts the health endpoint after the session middleware.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks()
    .AddNpgSql(builder.Configuration["ConnectionStrings:Postgres"]!, name: "database")
    .AddRedis(builder.Configuration["ConnectionStrings:Redis"]!, name: "redis");
builder.Services.AddHealthEndpoint(
    options =>
    {
        options.LivePath = "/livez";
        options.ReadyPath = "/readyz";
        options.StartupPath = "/startupz";
        options.PerCheckPaths = true;
        options.ProbeQueries = true;
        options.HealthJson = true;
    },
    host => host.DrainDelay = TimeSpan.FromSeconds(builder.Configuration.GetValue("DrainSeconds", 0)));
builder.Services.AddDistributedMemoryCache();
builder.Services.AddSession();

var app = builder.Build();
var sessionsCreated = 0;
var healthFirst = app.Configuration["Pipeline"] != "SessionFirst";

// How many sessions the app has created, answered before anything else.
app.Use((context, next) => context.Request.Path == "/app/sessions"
    ? context.Response.WriteAsync(Volatile.Read(ref sessionsCreated).ToString(System.Globalization.CultureInfo.InvariantCulture))
    : next(context));
if (healthFirst)
{
    app.UseHealthEndpoint();
}

app.UseSession();

// The legacy habit: every request without a session gets one.
app.Use(async (context, next) =>
{
    await context.Session.LoadAsync();
    if (context.Session.GetString("since") is null)
    {
        context.Session.SetString("since", DateTimeOffset.UtcNow.ToString("O"));
        Interlocked.Increment(ref sessionsCreated);
    }

    await next(context);
});
if (!healthFirst)
{
    app.UseHealthEndpoint();
}

app.UseRouting();
app.MapGet("/", () => "home");
app.Run();
