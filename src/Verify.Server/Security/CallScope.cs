using Grpc.Core;

namespace Verify.Server.Security;

/// <summary>
/// What <see cref="CallerInterceptor"/> established before the handler runs: the caller, the audit line
/// the handler completes, and the values the validator parsed (phone, policy) so nothing is parsed twice.
/// </summary>
internal sealed class CallScope(Caller caller, AuditEvent audit, IDictionary<string, object> parsed)
{
    private static readonly object Key = typeof(CallScope);

    public Caller Caller { get; } = caller;

    public AuditEvent Audit { get; } = audit;

    public IDictionary<string, object> Parsed { get; } = parsed;

    public static CallScope Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var scope)
            ? (CallScope)scope
            : throw new InvalidOperationException($"{context.Method} ran without {nameof(CallerInterceptor)}.");

    public void AttachTo(ServerCallContext context) => context.UserState[Key] = this;
}
