using System.Diagnostics;

namespace Harbour.Gateway.ReporterDoor;

// The gateway is where requests come in from the internet, so every request starts a trace of its own: a trace id or
// baggage a client sends is never taken up, and so can never follow a reporter's app into Harbour's traces or into
// the services behind. Traces still flow from the gateway to the services (outgoing requests use the process's
// propagator; this one only serves the gateway's own incoming requests).
public sealed class FreshTraces : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => [];

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) { }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        (traceId, traceState) = (null, null);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
}
