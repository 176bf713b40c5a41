using MassTransit;

namespace Harbour.Testing;

// Counts the messages of one type a bus has finished consuming, so a test can wait until a duplicate
// has really been handled before asserting that nothing happened twice.
public sealed class ConsumeCounter<TMessage> : IConsumeObserver where TMessage : class
{
    int consumed;

    public int Consumed => Volatile.Read(ref consumed);

    public Task WaitForAsync(int count, string what) =>
        Eventually.GetAsync(() => Task.FromResult(Consumed), n => n >= count, what);

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is TMessage) Interlocked.Increment(ref consumed);
        return Task.CompletedTask;
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
