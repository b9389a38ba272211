namespace Verify.Delivery;

/// <summary>One entry of <c>Verify:Delivery:Routes</c>: for these sends, these providers, in order of preference.</summary>
internal sealed class DeliveryRouteOptions
{
    /// <summary>Purposes (policy names) this route serves; empty: every purpose.</summary>
    public List<string> Purposes { get; set; } = [];

    /// <summary>ISO 3166-1 alpha-2 destination countries this route serves; empty: every country.</summary>
    public List<string> Countries { get; set; } = [];

    /// <summary>"sms" (the default) or "voice".</summary>
    public string Channel { get; set; } = "sms";

    /// <summary>Names under <c>Verify:Delivery:Providers</c>, tried in this order: on an error, a timeout, a full concurrency cap or an open breaker, the next.</summary>
    public List<string> Providers { get; set; } = [];
}
