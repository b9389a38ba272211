using Verify.Engine.Configuration;
using Verify.Engine.Limits;

namespace Verify.Engine.Throttling;

/// <summary>
/// One counter a start must pass, across purposes: its scope (one of <see cref="LimitScope.AcrossPurposes"/>),
/// the key it counts under, its windows and, where the scope has one, the pumping guard. Refusals name
/// it as <c>scope:window</c>, e.g. <c>prefix:1h</c>.
/// </summary>
internal sealed record CounterLimit(LimitScope Scope, string Key, IReadOnlyList<WindowLimit> Windows, PumpingRule? Pumping);
