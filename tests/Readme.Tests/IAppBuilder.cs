using System;
using System.Collections.Generic;

// README style 2 is written against Katana's IAppBuilder, from the Owin package (Owin.dll 1.0.0), which this
// machine's package source does not carry. This is a faithful copy of that interface — same namespace, same four
// members — so the block compiles as printed; an app on Katana gets the real one from the Owin package.
#pragma warning disable IDE0130 // The namespace is Owin.dll's, not this folder's.
namespace Owin;
#pragma warning restore IDE0130

/// <summary>Owin.dll 1.0's <c>IAppBuilder</c>, member for member.</summary>
public interface IAppBuilder
{
    /// <summary>The host's startup properties (<c>host.OnAppDisposing</c>, <c>host.AppName</c>, ...).</summary>
    IDictionary<string, object> Properties { get; }

    /// <summary>Adds a middleware: a delegate, an instance, or a type activated with (next, args...).</summary>
    IAppBuilder Use(object middleware, params object[] args);

    /// <summary>Builds the pipeline as a delegate of <paramref name="returnType"/>.</summary>
    object Build(Type returnType);

    /// <summary>A new builder that shares <see cref="Properties"/>.</summary>
#pragma warning disable CA1716 // Owin.dll's name, kept as it is.
    IAppBuilder New();
#pragma warning restore CA1716
}
