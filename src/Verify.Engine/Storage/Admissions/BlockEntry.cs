using Verify.Engine.Limits;

namespace Verify.Engine.Storage;

/// <summary>A pumping block: on a prefix or a country (<see cref="LimitScope.IsPumpingGuarded"/>), the key, and when it ends.</summary>
internal sealed record BlockEntry(LimitScope Scope, string Key, DateTimeOffset Until);
