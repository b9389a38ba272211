using System.Collections.Frozen;
using Verify.Admin.V1;
using Verify.V1;

namespace Verify.Server.Security;

/// <summary>
/// A method that needs a caller: its short name (the key of its request limits), its word in the audit
/// line, and what the caller must be allowed (an operation, or admin). Methods not listed here (health,
/// reflection) need no caller.
/// </summary>
internal sealed record AuditedMethod(string Name, string Operation, CallerOperation? CallerOperation)
{
    public bool RequiresAdmin => CallerOperation is null;

    public static FrozenDictionary<string, AuditedMethod> ByPath { get; } = new Dictionary<string, AuditedMethod>
    {
        [Path(VerificationService.Descriptor, "StartVerification")] = new("StartVerification", "start", Security.CallerOperation.Start),
        [Path(VerificationService.Descriptor, "CheckVerification")] = new("CheckVerification", "check", Security.CallerOperation.Check),
        [Path(VerificationService.Descriptor, "GetVerification")] = new("GetVerification", "get", Security.CallerOperation.Get),
        [Path(VerificationService.Descriptor, "CancelVerification")] = new("CancelVerification", "cancel", Security.CallerOperation.Cancel),
        [Path(AdminService.Descriptor, "GetCounters")] = new("GetCounters", "admin.get_counters", null),
        [Path(AdminService.Descriptor, "ResetCounters")] = new("ResetCounters", "admin.reset_counters", null),
        [Path(AdminService.Descriptor, "ListBlocked")] = new("ListBlocked", "admin.list_blocked", null),
        [Path(AdminService.Descriptor, "Unblock")] = new("Unblock", "admin.unblock", null),
        [Path(AdminService.Descriptor, "ErasePersonalData")] = new("ErasePersonalData", "admin.erase_personal_data", null),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The short names (<c>StartVerification</c>, <c>ListBlocked</c>…), as <c>Verify:RequestLimits:PerMethod</c> keys them (configuration keys ignore case).</summary>
    public static FrozenSet<string> Names { get; } = ByPath.Values.Select(method => method.Name).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Methods of Verify's own services (<c>/verify.…</c>) never pass unauthenticated, listed or not.</summary>
    public static bool IsVerifyMethod(string path) => path.StartsWith("/verify.", StringComparison.Ordinal);

    /// <summary>Methods of Verify's services that have no entry here: a test keeps this empty, so a new method cannot ship without its rule.</summary>
    public static IEnumerable<string> Unlisted() =>
        new[] { VerificationService.Descriptor, AdminService.Descriptor }
            .SelectMany(service => service.Methods.Select(method => $"/{service.FullName}/{method.Name}"))
            .Where(path => !ByPath.ContainsKey(path));

    // From the descriptor, so a renamed method fails at start instead of going unauthenticated.
    private static string Path(Google.Protobuf.Reflection.ServiceDescriptor service, string method) =>
        $"/{service.FullName}/{(service.FindMethodByName(method) ?? throw new InvalidOperationException($"{service.FullName} has no method {method}")).Name}";
}
