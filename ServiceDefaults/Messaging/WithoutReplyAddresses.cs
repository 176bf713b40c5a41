using MassTransit;
using MassTransit.Context;

namespace Harbour.ServiceDefaults.Messaging;

// Harbour's messages are events: nobody asks for an answer and no endpoint sends a fault anywhere but its own fault exchange
// ([FaultConsumedBy], Contracts/MessageRoutes.cs). MassTransit would still send a Fault<T>, carrying the whole failed message,
// to a fault or response address that the failed message itself names, whatever the endpoint says: so a publisher taken over
// could have a consumer forward a message it fails on, or have the consumer's channel closed by the send the broker refuses.
// Every consumer sees each message with neither address (Messaging.cs); the message is consumed as it would be otherwise.
public sealed class WithoutReplyAddresses<T> : IFilter<ConsumeContext<T>> where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next) =>
        next.Send(context.FaultAddress is null && context.ResponseAddress is null ? context : new Unaddressed(context));

    public void Probe(ProbeContext context) => context.CreateFilterScope("withoutReplyAddresses");

    sealed class Unaddressed(ConsumeContext<T> context) : ConsumeContextProxy<T>(context)
    {
        public override Uri? FaultAddress => null;
        public override Uri? ResponseAddress => null;
    }
}
