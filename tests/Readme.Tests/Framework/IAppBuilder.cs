using System;
using System.Collections.Generic;

// The README's Katana quick start is written against Katana's IAppBuilder, from the Owin package (Owin.dll 1.0.0),
// which this machine's package source does not carry. This is a faithful copy of that interface (same namespace,
// same four members), compiled into the net472 project of the quick start, so the block compiles as printed; an app
// on Katana gets the real one from the Owin package. C# 7.3, like the project it is compiled in.
namespace Owin
{
    /// <summary>Owin.dll 1.0's <c>IAppBuilder</c>, member for member.</summary>
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
}
