using Verify.Admin.V1;
using Grpc.Core;
using Verify.Engine.Configuration;
using Verify.Engine.Limits;
using Verify.Server.Security;
using Verify.Engine.Storage;
using Verify.Engine.Throttling;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Admin;

/// <summary>
/// <c>verify.admin.v1.AdminService</c>: the security team reads and resets counters, and lists and
/// lifts pumping blocks. <see cref="CallerInterceptor"/> lets only admins in and writes the audit line.
/// </summary>
internal sealed class AdminGrpcService(
    ILimitAdministration store,
    PolicyCatalog policies,
    LimitCatalog limits,
    TimeProvider timeProvider) : AdminService.AdminServiceBase
{

    public override Task<GetCountersResponse> GetCounters(GetCountersRequest request, ServerCallContext context) =>
        AdminAsync(context, async entry =>
        {
            var now = timeProvider.GetUtcNow();
            var response = new GetCountersResponse();
            var settings = limits.Current;
            switch (AdminSubject.Parse(request.Subject))
            {
                case AdminSubject.Number(var phone):
                    entry.MaskedPhone = phone.Masked;
                    foreach (var purpose in policies.Purposes.Order())
                    {
                        policies.TryGet(purpose, out var policy);
                        response.Counters.Add(CounterReport.Phone(purpose, phone.Masked, await store.ReadPhoneAsync(phone.E164, purpose, context.CancellationToken), policy!.PhoneLimits, now));
                    }

                    foreach (var counter in settings.CountersFor(phone, string.Empty).Where(c => c.Scope.AboutNumber))
                    {
                        // The operator asked about this number: its number and prefix counters show it as they asked, masked.
                        response.Counters.Add(await CounterAsync(counter.Scope, counter.Key, counter.Scope.MasksKey ? phone.Masked : counter.Key, now, context.CancellationToken));
                    }

                    break;
                case AdminSubject.Ip(var address):
                    // The counters of the network the address is counted under (a /64 by default for IPv6).
                    var ip = ClientBucket.Of(address, string.Empty, settings.Options);
                    entry.MaskedPhone = LimitScope.Ip.Shown(ip);
                    foreach (var purpose in policies.Purposes.Order())
                    {
                        policies.TryGet(purpose, out var policy);
                        var state = new CounterState { Counter = LimitScope.Ip.Subject(purpose), Key = LimitScope.Ip.Shown(ip) };
                        state.Windows.Add(CounterReport.Windows(await store.ReadIpAsync(ip, purpose, context.CancellationToken), policy!.IpLimits, now));
                        response.Counters.Add(state);
                    }

                    var countries = new CounterState { Counter = ThrottleMessages.IpCountries, Key = LimitScope.Ip.Shown(ip) };
                    var window = settings.Options.CountriesPerIp.Window;
                    countries.Countries.Add((await store.ReadIpCountriesAsync(ip, context.CancellationToken)).Where(c => c.FirstAt > now - window).Select(c => c.Country).Order());
                    response.Counters.Add(countries);
                    var wrongCodes = new CounterState { Counter = ThrottleMessages.WrongCodesPerIp, Key = LimitScope.Ip.Shown(ip) };
                    wrongCodes.Windows.Add(CounterReport.Windows(await store.ReadIpWrongCodesAsync(ip, context.CancellationToken), settings.Options.WrongCodesPerIp, now));
                    response.Counters.Add(wrongCodes);
                    break;
                case AdminSubject.Counter(var scope, var key):
                    entry.MaskedPhone = scope.Shown(key);
                    response.Counters.Add(await CounterAsync(scope, key, scope.Shown(key), now, context.CancellationToken));
                    break;
            }

            entry.Outcome = "read";
            return response;
        });

    public override Task<ResetCountersResponse> ResetCounters(ResetCountersRequest request, ServerCallContext context) =>
        AdminAsync(context, async entry =>
        {
            var now = timeProvider.GetUtcNow();
            var response = new ResetCountersResponse();
            switch (AdminSubject.Parse(request.Subject))
            {
                case AdminSubject.Number(var phone):
                    entry.MaskedPhone = phone.Masked;
                    foreach (var purpose in policies.Purposes.Order())
                    {
                        await store.ResetPhoneAsync(phone.E164, purpose, now, context.CancellationToken);
                        response.Reset.Add(LimitScope.Phone.Subject(purpose));
                    }

                    await store.ResetCounterAsync(LimitScope.Number, phone.E164, context.CancellationToken);
                    response.Reset.Add(LimitScope.Number.Name);
                    break;
                case AdminSubject.Ip(var address):
                    var ip = ClientBucket.Of(address, string.Empty, limits.Current.Options);
                    entry.MaskedPhone = LimitScope.Ip.Shown(ip);
                    await store.ResetIpAsync(ip, policies.Purposes, context.CancellationToken);
                    response.Reset.Add([.. policies.Purposes.Order().Select(LimitScope.Ip.Subject), ThrottleMessages.IpCountries, ThrottleMessages.WrongCodesPerIp]);
                    break;
                case AdminSubject.Counter(var scope, var key):
                    entry.MaskedPhone = scope.Shown(key);
                    await store.ResetCounterAsync(scope, key, context.CancellationToken);
                    response.Reset.Add(scope.Name);
                    break;
            }

            entry.Outcome = "reset";
            return response;
        });

    public override Task<ListBlockedResponse> ListBlocked(ListBlockedRequest request, ServerCallContext context) =>
        AdminAsync(context, async entry =>
        {
            var response = new ListBlockedResponse();
            foreach (var block in await store.ListBlocksAsync(timeProvider.GetUtcNow(), context.CancellationToken))
            {
                response.Blocked.Add(new Block { Scope = block.Scope.Name, Key = block.Scope.Shown(block.Key), Until = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(block.Until) });
            }

            entry.Outcome = $"listed:{response.Blocked.Count}";
            return response;
        });

    public override Task<UnblockResponse> Unblock(UnblockRequest request, ServerCallContext context) =>
        AdminAsync(context, async entry =>
        {
            var (scope, key) = AdminSubject.ParseBlock(request.Scope, request.Key);
            entry.MaskedPhone = scope.Shown(key);
            var wasBlocked = await store.UnblockAsync(scope, key, timeProvider.GetUtcNow(), context.CancellationToken);
            entry.Outcome = wasBlocked ? "unblocked" : "not_blocked";
            return new UnblockResponse { WasBlocked = wasBlocked };
        });

    /// <summary>
    /// Erases a number's verifications, or reports what a client IP's limits keep; limit state stays until it
    /// expires (docs/personal-data.md). The audit line shows the masked number or the IP's network, never more.
    /// </summary>
    public override Task<ErasePersonalDataResponse> ErasePersonalData(ErasePersonalDataRequest request, ServerCallContext context) =>
        AdminAsync(context, async entry =>
        {
            var now = timeProvider.GetUtcNow();
            var response = new ErasePersonalDataResponse();
            switch (AdminSubject.ParseErasure(request))
            {
                case AdminSubject.Number(var phone):
                    entry.MaskedPhone = phone.Masked;
                    var erasure = await store.ErasePhoneAsync(phone.E164, now, context.CancellationToken);
                    response.VerificationsErased = erasure.ErasedVerificationIds.Count;
                    if (erasure.StateKeptUntil is { } stateUntil)
                    {
                        response.Kept.Add(Kept($"number state {phone.Masked}: send times, cooldowns, wrong codes in a row, lockouts", stateUntil));
                    }

                    // The number's prefix and country counters hold send ids, not the number; their key names the prefix.
                    foreach (var counter in limits.Current.CountersFor(phone, string.Empty).Where(c => c.Scope.AboutNumber && c.Scope != LimitScope.Number))
                    {
                        if (await store.CounterExpiryAsync(counter.Scope, counter.Key, now, context.CancellationToken) is { } counterUntil)
                        {
                            response.Kept.Add(Kept($"{counter.Scope.Name} {counter.Scope.Shown(counter.Key)}", counterUntil));
                        }
                    }

                    entry.Outcome = $"erased:{response.VerificationsErased}";
                    break;
                case AdminSubject.Ip(var address):
                    var ip = ClientBucket.Of(address, string.Empty, limits.Current.Options);
                    entry.MaskedPhone = LimitScope.Ip.Shown(ip);
                    foreach (var kept in await store.IpStateAsync(ip, policies.Purposes, now, context.CancellationToken))
                    {
                        response.Kept.Add(Kept($"{kept.What} {LimitScope.Ip.Shown(ip)}", kept.Until));
                    }

                    entry.Outcome = "erased:0";
                    break;
                default:
                    throw new InvalidOperationException("ParseErasure answers a number or an IP.");
            }

            return response;
        });

    private static KeptData Kept(string what, DateTimeOffset until) =>
        new() { What = what, Until = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(until) };

    private async Task<CounterState> CounterAsync(LimitScope scope, string key, string shown, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = limits.Current.Options;
        var pumping = options.PumpingGuard.Enabled && scope.IsPumpingGuarded ? options.PumpingGuard.Window : (TimeSpan?)null;
        return CounterReport.Counter(scope.Name, shown, await store.ReadCounterAsync(scope, key, cancellationToken), scope.Windows(options, key), pumping, now);
    }

    private static Task<T> AdminAsync<T>(ServerCallContext context, Func<AuditEvent, Task<T>> call) => call(CallScope.Of(context).Audit);
}
