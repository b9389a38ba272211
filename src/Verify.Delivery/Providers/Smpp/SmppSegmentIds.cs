using System.Collections.Concurrent;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// The message ids of the second and later segments of concatenated messages, each mapped to the first
/// segment's id (the provider message id), so a receipt for any segment names the message. In memory,
/// at most <paramref name="capacity"/> ids (the oldest go first) for at most <paramref name="lifetime"/>:
/// receipts come within minutes, and a receipt for a forgotten segment id only reaches the sink as an
/// unknown id. A single-segment message needs no entry.
/// </summary>
internal sealed class SmppSegmentIds(TimeProvider time, int capacity, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, (string MessageId, long Expires)> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string SegmentId, long Expires)> _order = new();
    private readonly Lock _trim = new();

    public int Count => _ids.Count;

    public void Remember(string segmentId, string messageId)
    {
        var expires = time.GetUtcNow().Add(lifetime).UtcTicks;
        _ids[segmentId] = (messageId, expires);
        _order.Enqueue((segmentId, expires));
        Trim();
    }

    /// <summary>The message a segment id belongs to, or the id itself when it is not a remembered segment.</summary>
    public string Resolve(string id)
    {
        if (_ids.TryGetValue(id, out var entry))
        {
            if (entry.Expires > time.GetUtcNow().UtcTicks)
            {
                return entry.MessageId;
            }

            _ids.TryRemove(KeyValuePair.Create(id, entry));
        }

        return id;
    }

    private void Trim()
    {
        lock (_trim)
        {
            var now = time.GetUtcNow().UtcTicks;
            while (_order.TryPeek(out var oldest) && (_order.Count > capacity || oldest.Expires <= now))
            {
                _order.TryDequeue(out _);

                // Only if the entry is still the one queued (the same id may have been remembered again since).
                if (_ids.TryGetValue(oldest.SegmentId, out var entry) && entry.Expires == oldest.Expires)
                {
                    _ids.TryRemove(KeyValuePair.Create(oldest.SegmentId, entry));
                }
            }
        }
    }
}
