using Verify.Admin.V1;
using Grpc.Core;
using Verify.Server.Configuration;
using Verify.Delivery.Phones;
using Verify.Server.Security;
using Verify.Server.Storage;
using Verify.Server.Throttling;
using Verify.Server.Verification;

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

                    foreach (var counter in settings.CountersFor(phone, string.Empty).Where(c => c.Scope is "number" or "prefix" or "country"))
                    {
                        response.Counters.Add(await CounterAsync(counter.Scope, counter.Key, counter.Scope == "country" ? counter.Key : phone.Masked, now, context.CancellationToken));
                    }

                    break;
                case AdminSubject.Ip(var ip):
                    entry.MaskedPhone = ip;
                    foreach (var purpose in policies.Purposes.Order())
                    {
                        policies.TryGet(purpose, out var policy);
                        var state = new CounterState { Counter = $"ip:{purpose}", Key = ip };
                        state.Windows.Add(CounterReport.Windows(await store.ReadIpAsync(ip, purpose, context.CancellationToken), policy!.IpLimits, now));
                        response.Counters.Add(state);
                    }

                    var countries = new CounterState { Counter = "ip:countries", Key = ip };
                    var window = settings.Options.CountriesPerIp.Window;
                    countries.Countries.Add((await store.ReadIpCountriesAsync(ip, context.CancellationToken)).Where(c => c.FirstAt > now - window).Select(c => c.Country).Order());
                    response.Counters.Add(countries);
                    break;
                case AdminSubject.Counter(var scope, var key):
                    entry.MaskedPhone = Shown(scope, key);
                    response.Counters.Add(await CounterAsync(scope, key, Shown(scope, key), now, context.CancellationToken));
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
                        response.Reset.Add($"phone:{purpose}");
                    }

                    await store.ResetCounterAsync("number", phone.E164, context.CancellationToken);
                    response.Reset.Add("number");
                    break;
                case AdminSubject.Ip(var ip):
                    entry.MaskedPhone = ip;
                    await store.ResetIpAsync(ip, policies.Purposes, context.CancellationToken);
                    response.Reset.Add([.. policies.Purposes.Order().Select(p => $"ip:{p}"), "ip:countries"]);
                    break;
                case AdminSubject.Counter(var scope, var key):
                    entry.MaskedPhone = Shown(scope, key);
                    await store.ResetCounterAsync(scope, key, context.CancellationToken);
                    response.Reset.Add(scope);
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
                response.Blocked.Add(new Block { Scope = block.Scope, Key = Shown(block.Scope, block.Key), Until = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(block.Until) });
            }

            entry.Outcome = $"listed:{response.Blocked.Count}";
            return response;
        });

    public override Task<UnblockResponse> Unblock(UnblockRequest request, ServerCallContext context) =>
        AdminAsync(context, async entry =>
        {
            var (scope, key) = AdminSubject.ParseBlock(request.Scope, request.Key);
            entry.MaskedPhone = Shown(scope, key);
            var wasBlocked = await store.UnblockAsync(scope, key, timeProvider.GetUtcNow(), context.CancellationToken);
            entry.Outcome = wasBlocked ? "unblocked" : "not_blocked";
            return new UnblockResponse { WasBlocked = wasBlocked };
        });

    private async Task<CounterState> CounterAsync(string scope, string key, string shown, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = limits.Current.Options;
        IReadOnlyList<WindowLimit> windows = scope switch
        {
            "number" => options.Number,
            "prefix" => options.Prefix,
            _ => options.Countries.GetValueOrDefault(key) ?? options.Country,
        };
        var pumping = options.PumpingGuard.Enabled && scope is "prefix" or "country" ? options.PumpingGuard.Window : (TimeSpan?)null;
        return CounterReport.Counter(scope, shown, await store.ReadCounterAsync(scope, key, cancellationToken), windows, pumping, now);
    }

    private static Task<T> AdminAsync<T>(ServerCallContext context, Func<AuditEvent, Task<T>> call) => call(CallScope.Of(context).Audit);

    // A prefix shows more of a number than its masked form: shown masked; a country as it is.
    private static string Shown(string scope, string key) => scope == "country" ? key : PhoneMasking.Mask(key);
}
