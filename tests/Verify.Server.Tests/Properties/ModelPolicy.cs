namespace Verify.Server.Tests.Properties;

/// <summary>One purpose's rules as the model knows them; <see cref="PropertyConfiguration"/> hands the same numbers to Verify as configuration.</summary>
internal sealed record ModelPolicy(
    string Purpose,
    bool BindsTransaction,
    int CodeLength,
    TimeSpan Ttl,
    int MaxAttempts,
    TimeSpan ResendCooldown,
    IReadOnlyList<ModelWindow> PhoneWindows,
    IReadOnlyList<ModelWindow> IpWindows,
    int LockoutMaxFailures,
    TimeSpan LockoutDuration);
