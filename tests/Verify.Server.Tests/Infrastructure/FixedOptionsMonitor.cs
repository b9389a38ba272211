using Microsoft.Extensions.Options;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>
/// An options monitor over one instance: a test changes a setting by changing that instance, as a reload
/// would hand the service a new value. Change callbacks are not raised.
/// </summary>
public sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
