namespace Harbour.Testing;

public static class Eventually
{
    // Messages travel asynchronously: wait for what a user would eventually see, or fail saying what was awaited.
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds} s for {what}; last saw {value}.");
            await Task.Delay(200);
        }
    }
}
