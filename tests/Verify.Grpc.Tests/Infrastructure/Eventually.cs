namespace Verify.Grpc.Tests.Infrastructure;

/// <summary>Polls a condition that becomes true asynchronously, for a bounded time.</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (condition(value) || DateTime.UtcNow >= deadline)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
