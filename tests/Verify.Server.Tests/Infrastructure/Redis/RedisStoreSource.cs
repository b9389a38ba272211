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

    internal RedisVerificationStore CreateStore(string? keyPrefix = null, TimeSpan? operationTimeout = null, IConnectionMultiplexer? multiplexer = null)
    {
        var options = Options.Create(new RedisStoreOptions
        {
            Configuration = ConnectionString,
            KeyPrefix = keyPrefix ?? "t" + Guid.NewGuid().ToString("N")[..10],
            OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(2),
        });

        // Operation timeouts are about real I/O, so the runner keeps the real clock even when the engine's is moved by hand.
        var runner = new RedisCommandRunner(multiplexer ?? Multiplexer, options, TimeProvider.System);
        return new RedisVerificationStore(runner, new RedisKeys(options.Value.KeyPrefix), NullLogger<RedisVerificationStore>.Instance);
    }

    public virtual void Dispose()
    {
        _multiplexer?.Dispose();
        GC.SuppressFinalize(this);
    }
}
