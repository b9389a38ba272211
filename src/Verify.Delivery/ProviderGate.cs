using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Verify.Delivery.Providers;

namespace Verify.Delivery;

/// <summary>
/// One provider behind its guards: a concurrency cap (a send over it is refused at once, so the router
/// moves on), a circuit breaker over sends that failed or timed out, and the timeout. The guards are
/// rebuilt when a reload changes them (the breaker then starts closed).
/// </summary>
internal sealed partial class ProviderGate(string name, ISmsSender sender, TimeProvider timeProvider, DeliveryMetrics metrics, ILogger logger) : IDisposable
{
    private Guards? _guards;

    public string Name => name;

    public ISmsSender Sender => sender;

    /// <summary>Sends through the provider; every failure, including a timeout, an open breaker or a full cap, is a <see cref="SendResult.Failure"/>.</summary>
    public async Task<SendResult> SendAsync(SmsMessage message, ProviderSettings settings, CancellationToken cancellationToken)
    {
        var guards = GuardsFor(settings);
        using var lease = guards.Concurrency.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            metrics.Attempt(name, "busy");
            return SendResult.Failure($"{name}: {settings.MaxConcurrency} sends already in flight");
        }

        try
        {
            var result = await guards.Pipeline.ExecuteAsync(static (state, token) => new ValueTask<SendResult>(state.sender.SendAsync(state.message, token)), (sender, message), cancellationToken);
            metrics.Attempt(name, result.Accepted ? "accepted" : result.ProviderFault ? "failed" : "rejected");
            return result;
        }
        catch (TimeoutRejectedException)
        {
            metrics.Attempt(name, "timeout");
            return SendResult.Failure($"{name}: no answer within {settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (BrokenCircuitException)
        {
            metrics.Attempt(name, "open");
            return SendResult.Failure($"{name}: breaker open after repeated failures");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A provider bug must not fail the start with an exception: it is one more failed send.
            Log.SenderThrew(logger, name, exception);
            metrics.Attempt(name, "failed");
            return SendResult.Failure($"{name}: failed ({exception.GetType().Name})");
        }
    }

    public void Dispose() => _guards?.Concurrency.Dispose();

    private Guards GuardsFor(ProviderSettings settings)
    {
        // Every reload of any section builds new settings objects: only a change of value rebuilds the
        // guards, so an open breaker stays open and the cap stays one cap across unrelated reloads.
        var guards = _guards;
        if (guards is not null && guards.Settings.SameGuardsAs(settings))
        {
            return guards;
        }

        var built = Build(settings);
        var previous = Interlocked.CompareExchange(ref _guards, built, guards);
        if (!ReferenceEquals(previous, guards))
        {
            // Another send built them first: use theirs.
            built.Concurrency.Dispose();
            return previous!;
        }

        return built;
    }

    private Guards Build(ProviderSettings settings)
    {
        var breaker = settings.Breaker;
        var pipeline = new ResiliencePipelineBuilder<SendResult> { TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<SendResult>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is not null and not OperationCanceledException || args.Outcome.Result is { Accepted: false, ProviderFault: true }),
                OnOpened = args =>
                {
                    Log.BreakerOpened(logger, name, args.BreakDuration);
                    metrics.Breaker(name, "opened");
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    metrics.Breaker(name, "half_open");
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Log.BreakerClosed(logger, name);
                    metrics.Breaker(name, "closed");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.Timeout)
            .Build();
        var concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = settings.MaxConcurrency, QueueLimit = 0 });
        return new Guards(settings, pipeline, concurrency);
    }

    private sealed record Guards(ProviderSettings Settings, ResiliencePipeline<SendResult> Pipeline, ConcurrencyLimiter Concurrency);

    private static partial class Log
    {
        [LoggerMessage(310, LogLevel.Warning, "Provider {Provider}: breaker opened for {BreakDuration} after repeated failures; sends go to the next provider of each route.")]
        public static partial void BreakerOpened(ILogger logger, string provider, TimeSpan breakDuration);

        [LoggerMessage(311, LogLevel.Information, "Provider {Provider}: breaker closed, the provider takes sends again.")]
        public static partial void BreakerClosed(ILogger logger, string provider);

        [LoggerMessage(312, LogLevel.Error, "Provider {Provider} threw.")]
        public static partial void SenderThrew(ILogger logger, string provider, Exception exception);
    }
}
