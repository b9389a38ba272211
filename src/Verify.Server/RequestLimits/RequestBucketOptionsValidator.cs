using FluentValidation;

namespace Verify.Server.RequestLimits;

/// <summary>One bucket: a burst of at least one call, a refill no larger than the bucket, a period the limiter can keep.</summary>
internal sealed class RequestBucketOptionsValidator : AbstractValidator<RequestBucketOptions>
{
    public const int MaxTokens = 1_000_000;

    // The partitioned limiter refills on a 100 ms tick: a shorter period would not refill any faster.
    public static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MaxPeriod = TimeSpan.FromHours(1);

    public RequestBucketOptionsValidator()
    {
        RuleFor(o => o.TokenLimit).InclusiveBetween(1, MaxTokens).WithMessage($"must be 1 to {MaxTokens} calls");
        RuleFor(o => o.TokensPerPeriod)
            .Must((o, tokens) => tokens >= 1 && tokens <= Math.Max(1, o.TokenLimit))
            .WithMessage("must be 1 to TokenLimit calls (the bucket holds no more than TokenLimit)");
        RuleFor(o => o.ReplenishmentPeriod).InclusiveBetween(MinPeriod, MaxPeriod).WithMessage("must be between 00:00:00.1 and 01:00:00");
    }
}
