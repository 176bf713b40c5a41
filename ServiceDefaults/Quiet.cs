using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Harbour.ServiceDefaults;

// Work on a timer or for a probe (an outbox looking at an empty table, a readiness check every few seconds) is not worth a
// trace each time: no span starts inside Quiet.Begin(). Logs still flow, so a failing check or a warning still reaches the
// dashboard (OpenTelemetry's own SuppressInstrumentationScope would silence them too).
public static class Quiet
{
    static readonly AsyncLocal<bool> Active = new();

    public static bool IsActive => Active.Value;

    public static IDisposable Begin()
    {
        var before = Active.Value;
        Active.Value = true;
        return new Restore(before);
    }

    sealed class Restore(bool before) : IDisposable
    {
        public void Dispose() => Active.Value = before;
    }
}

// The default sampler (follow the parent, else record), except inside Quiet.Begin().
public sealed class QuietSampler : Sampler
{
    readonly Sampler inner = new ParentBasedSampler(new AlwaysOnSampler());

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        Quiet.IsActive ? new SamplingResult(SamplingDecision.Drop) : inner.ShouldSample(samplingParameters);
}
