using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Cases.Cases;

// One message of the conversation between a case's reporter and its case managers. The body is sealed like the
// report's narrative; the id is the message's own, so a redelivered message is kept once.
public sealed class CaseMessage
{
    public const string FromReporter = "reporter", FromCaseManager = "case-manager";

    public Guid Id { get; private init; }
    public Guid CaseId { get; private init; }
    public required string From { get; init; }
    public required string SealedBody { get; init; }
    public DateTimeOffset At { get; private init; }
    public string? SentBy { get; private init; }

    public static CaseMessage FromThe(Case c, ReporterMessagePosted posted) => new()
    {
        Id = posted.MessageId, CaseId = c.Id, From = FromReporter, SealedBody = posted.SealedBody, At = posted.PostedAt,
    };

    public static (CaseMessage Message, ReporterMessageSent Sent) ToThe(Case c, string body, string sentBy, Sealer sealer, TimeProvider clock)
    {
        var message = new CaseMessage
        {
            Id = Guid.CreateVersion7(), CaseId = c.Id, From = FromCaseManager, SealedBody = sealer.Seal(body.Trim()),
            At = clock.GetUtcNow(), SentBy = sentBy,
        };
        return (message, new ReporterMessageSent(message.Id, c.ReportId, c.Reference, message.SealedBody, message.At));
    }

    public CaseMessageView Open(Sealer sealer) => new(From, sealer.Open<string>(SealedBody), At, SentBy);
}
