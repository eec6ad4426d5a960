// The few .NET 5+ APIs that the shared test files (Shared/) use and .NET Framework 4.7.2 lacks, so that those files
// compile here unchanged. Test code only; the libraries themselves need none of this.
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets the compiler emit records' init accessors on .NET Framework.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    internal static class IsExternalInit
    {
    }

    /// <summary>Lets the compiler pass the argument's expression, as on .NET.</summary>
    [AttributeUsage(AttributeTargets.Parameter)]
    internal sealed class CallerArgumentExpressionAttribute(string parameterName) : Attribute
    {
        public string ParameterName { get; } = parameterName;
    }
}

namespace System.Threading.Tasks
{
    /// <summary>The non-generic <c>TaskCompletionSource</c> of .NET 5+, over <see cref="TaskCompletionSource{TResult}"/>.</summary>
    internal sealed class TaskCompletionSource
    {
        private readonly TaskCompletionSource<bool> _inner;

        public TaskCompletionSource() => _inner = new TaskCompletionSource<bool>();

        public TaskCompletionSource(TaskCreationOptions creationOptions) => _inner = new TaskCompletionSource<bool>(creationOptions);

        public Task Task => _inner.Task;

        public void SetResult() => _inner.SetResult(true);

        public bool TrySetResult() => _inner.TrySetResult(true);
    }

    /// <summary>.NET 6's <c>WaitAsync</c> and <c>Wait(TimeSpan, CancellationToken)</c>, and .NET 6's <c>ArgumentNullException.ThrowIfNull</c>.</summary>
    internal static class FrameworkPolyfillExtensions
    {
        public static async Task WaitAsync(this Task task, TimeSpan timeout)
        {
            if (await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false) != task)
            {
                throw new TimeoutException($"The task did not complete within {timeout}.");
            }

            await task.ConfigureAwait(false);
        }

        public static bool Wait(this Task task, TimeSpan timeout, CancellationToken cancellationToken) =>
            task.Wait((int)timeout.TotalMilliseconds, cancellationToken);

        public static async Task<TResult> WaitAsync<TResult>(this Task<TResult> task, TimeSpan timeout)
        {
            if (await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false) != task)
            {
                throw new TimeoutException($"The task did not complete within {timeout}.");
            }

            return await task.ConfigureAwait(false);
        }

        extension(ArgumentNullException)
        {
            public static void ThrowIfNull(object? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
            {
                if (argument is null)
                {
                    throw new ArgumentNullException(paramName);
                }
            }
        }
    }
}
