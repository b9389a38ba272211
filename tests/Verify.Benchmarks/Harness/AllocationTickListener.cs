using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Verify.Benchmarks.Harness;

/// <summary>
/// Samples allocations by type from the runtime's GCAllocationTick event (one event per ~100 KB
/// allocated, naming the object that crossed the mark), so the share of each type approaches its
/// share of the bytes over many calls.
/// </summary>
internal sealed class AllocationTickListener : EventListener
{
    private const int AllocationTickEventId = 10;
    private const long GcKeyword = 0x1;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    public bool Recording { get; set; }

    public IReadOnlyDictionary<string, long> BytesByType => _bytesByType;

    public void Clear() => _bytesByType.Clear();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Recording || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }

        var typeName = payload[names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(typeName, amount, (_, total) => total + amount);
    }
}
