using Verify.Server.Configuration;

namespace Verify.Server.Throttling;

/// <summary>
/// One counter a start must pass, across purposes: its scope (<c>number</c>, <c>country</c>,
/// <c>prefix</c>, <c>caller</c>, <c>global</c>), the key it counts under, its windows and, for
/// prefixes and countries, the pumping guard. Refusals name it as <c>scope:window</c>, e.g. <c>prefix:1h</c>.
/// </summary>
internal sealed record CounterLimit(string Scope, string Key, IReadOnlyList<WindowLimit> Windows, PumpingRule? Pumping)
{
    /// <summary>How a refusal describes what is counted, e.g. "to one number prefix".</summary>
    public string What => Scope switch
    {
        "number" => "to one number, across purposes",
        "country" => "to one country",
        "prefix" => "to one block of numbers",
        "caller" => "from one calling service",
        _ => "in total",
    };
}
