using System.Net;

namespace Harbour.Testing;

public static class Eventually
{
    // Messages travel asynchronously: wait for what a user would eventually see, or fail saying what was awaited.
    // "Not there yet" answers (404 for a case not opened yet, 503 while a service gets ready) are waited through like
    // any other value that is not done; anything else fails at once.
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            string last;
            try
            {
                var value = await read();
                if (done(value)) return value;
                last = $"{value}";
            }
            catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.ServiceUnavailable)
            {
                last = $"{(int)ex.StatusCode!} {ex.StatusCode}";
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds} s for {what}; last saw {last}.");
            await Task.Delay(200);
        }
    }
}
