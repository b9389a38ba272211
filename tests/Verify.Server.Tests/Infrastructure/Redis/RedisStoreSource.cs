using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Verify.Engine.Storage.Redis;

namespace Verify.Server.Tests.Infrastructure.Redis;

/// <summary>A running Redis (one server or a cluster) that hands out stores, each under its own key prefix.</summary>
public abstract class RedisStoreSource : IDisposable
{
    private IConnectionMultiplexer? _multiplexer;

    internal IConnectionMultiplexer Multiplexer => _multiplexer ??= ConnectionMultiplexer.Connect(ConnectionString + ",abortConnect=false");

    /// <summary>The StackExchange.Redis connection string of this Redis.</summary>
    public abstract string ConnectionString { get; }

    /// <param name="settings">Where a test changes a setting while the store runs (as a reload would); new settings when null.</param>
    internal RedisVerificationStore CreateStore(
        string? keyPrefix = null, TimeSpan? operationTimeout = null, IConnectionMultiplexer? multiplexer = null, RedisStoreOptions? settings = null)
    {
        // The contract suites run the layout a deployment has once its roll is done.
        settings ??= new RedisStoreOptions { WrongCodesInRecord = true };
        settings.Configuration = ConnectionString;
        settings.KeyPrefix = keyPrefix ?? "t" + Guid.NewGuid().ToString("N")[..10];
        settings.OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(2);
        var options = Options.Create(settings);

        // Operation timeouts are about real I/O, so the runner keeps the real clock even when the engine's is moved by hand.
        var runner = new RedisCommandRunner(multiplexer ?? Multiplexer, options, TimeProvider.System);
        return new RedisVerificationStore(
            runner, new RedisKeys(settings.KeyPrefix), new FixedOptionsMonitor<RedisStoreOptions>(settings), NullLogger<RedisVerificationStore>.Instance);
    }

    public virtual void Dispose()
    {
        _multiplexer?.Dispose();
        GC.SuppressFinalize(this);
    }
}
