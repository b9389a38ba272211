using Verify.Admin.V1;
using Verify.Grpc;
using Verify.Server.Configuration;
using Verify.Server.Phones;
using Verify.Server.Security;
using Verify.Server.Storage;
using Verify.Server.Throttling;
using Verify.Server.Verification;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Verify.Server.Admin;

/// <summary>
/// <c>verify.admin.v1.AdminService</c>: the security team reads and resets counters, and lists and
/// lifts pumping blocks. Only callers configured as admins; every call leaves an audit line.
/// </summary>
internal sealed class AdminGrpcService(
    ILimitAdministration store,
    CallerAuthenticator authenticator,
    PolicyCatalog policies,
    LimitCatalog limits,
    AuditLog audit,
    TimeProvider timeProvider) : IGrpcService<AdminGrpcService>
{
    public static ServiceDescriptor Descriptor => AdminReflection.Descriptor.Services[0];

    public static void BindService(GrpcServiceBinder<AdminGrpcService> binder) => binder
        .AddUnaryMethod<GetCountersRequest, GetCountersResponse>("GetCounters", (s, r, c) => s.GetCountersAsync(r, c))
        .AddUnaryMethod<ResetCountersRequest, ResetCountersResponse>("ResetCounters", (s, r, c) => s.ResetCountersAsync(r, c))
        .AddUnaryMethod<ListBlockedRequest, ListBlockedResponse>("ListBlocked", (s, r, c) => s.ListBlockedAsync(c))
        .AddUnaryMethod<UnblockRequest, UnblockResponse>("Unblock", (s, r, c) => s.UnblockAsync(r, c));

    private Task<GetCountersResponse> GetCountersAsync(GetCountersRequest request, ServerCallContext context) =>
        AdminAsync("admin.get_counters", context, async entry =>
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

    private Task<ResetCountersResponse> ResetCountersAsync(ResetCountersRequest request, ServerCallContext context) =>
        AdminAsync("admin.reset_counters", context, async entry =>
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

    private Task<ListBlockedResponse> ListBlockedAsync(ServerCallContext context) =>
        AdminAsync("admin.list_blocked", context, async entry =>
        {
            var response = new ListBlockedResponse();
            foreach (var block in await store.ListBlocksAsync(timeProvider.GetUtcNow(), context.CancellationToken))
            {
                response.Blocked.Add(new Block { Scope = block.Scope, Key = Shown(block.Scope, block.Key), Until = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(block.Until) });
            }

            entry.Outcome = $"listed:{response.Blocked.Count}";
            return response;
        });

    private Task<UnblockResponse> UnblockAsync(UnblockRequest request, ServerCallContext context) =>
        AdminAsync("admin.unblock", context, async entry =>
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

    /// <summary>Only admins; one audit line whatever happens; a store that does not answer is UNAVAILABLE.</summary>
    private async Task<T> AdminAsync<T>(string operation, ServerCallContext context, Func<AuditEvent, Task<T>> call)
    {
        var entry = new AuditEvent(operation);
        try
        {
            var caller = authenticator.Authenticate(context);
            entry.Caller = caller.Name;
            if (!caller.Admin)
            {
                throw VerifyErrors.PermissionDenied($"Caller {caller.Name} is not an admin.");
            }

            return await call(entry);
        }
        catch (StoreUnavailableException)
        {
            entry.Outcome = "unavailable";
            throw VerifyErrors.StoreUnavailable();
        }
        catch (RpcException exception)
        {
            entry.Outcome ??= exception.StatusCode.ToString().ToLowerInvariant();
            throw;
        }
        finally
        {
            audit.Write(entry);
        }
    }

    // A prefix shows more of a number than its masked form: shown masked; a country as it is.
    private static string Shown(string scope, string key) => scope == "country" ? key : PhoneMasking.Mask(key);
}
