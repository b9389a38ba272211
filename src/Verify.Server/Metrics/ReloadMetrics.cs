using Verify.Engine.Configuration;
using Verify.Delivery;
using Verify.Server.RequestLimits;
using Verify.Server.Security;
using Verify.Engine.Throttling;
using Verify.Engine.Metrics;

namespace Verify.Server.Metrics;

/// <summary>Counts every configuration reload of policies, callers, limits, request limits and delivery, accepted or refused (<c>verify_config_reloads_total</c>).</summary>
internal sealed class ReloadMetrics(
    PolicyCatalog policies, CallerDirectory callers, LimitCatalog limits, RequestLimiter requestLimits, DeliveryCatalog delivery, VerifyMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        policies.Reloaded += OnPolicies;
        callers.Reloaded += metrics.ConfigReload;
        limits.Reloaded += metrics.ConfigReload;
        requestLimits.Reloaded += metrics.ConfigReload;
        delivery.Reloaded += metrics.ConfigReload;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        policies.Reloaded -= OnPolicies;
        callers.Reloaded -= metrics.ConfigReload;
        limits.Reloaded -= metrics.ConfigReload;
        requestLimits.Reloaded -= metrics.ConfigReload;
        delivery.Reloaded -= metrics.ConfigReload;
        return Task.CompletedTask;
    }

    private void OnPolicies(bool accepted) => metrics.ConfigReload("policies", accepted);
}
