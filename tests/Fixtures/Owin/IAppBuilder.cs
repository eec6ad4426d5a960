using System;
using System.Collections.Generic;

namespace Owin;

/// <summary>
/// Katana's <c>Owin.IAppBuilder</c> from Owin.dll 1.0, member for member (a test fixture: see Owin.csproj).
/// </summary>
public interface IAppBuilder
{
    /// <summary>The host's startup properties (<c>host.OnAppDisposing</c>, <c>host.AppName</c>, ...).</summary>
    IDictionary<string, object> Properties { get; }

    /// <summary>Adds a middleware: a delegate, an instance, or a type activated with (next, args...).</summary>
    IAppBuilder Use(object middleware, params object[] args);

    /// <summary>Builds the pipeline as a delegate of the given type.</summary>
    object Build(Type returnType);

    /// <summary>A new builder that shares <see cref="Properties"/>.</summary>
    IAppBuilder New();
}
