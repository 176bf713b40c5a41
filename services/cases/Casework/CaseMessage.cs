using Harbour.Contracts;
using Harbour.ServiceDefaults.Security;

namespace Harbour.Cases.Casework;

// One message of the conversation between a case's reporter and its case managers. The body is sealed like the
// report's narrative; the id is the message's own, so a redelivered message is kept once. It belongs to the report, not
// the case row, so that a message that arrives before its report's case opens is kept and shows once it does.
public sealed class CaseMessage
{
    public Guid Id { get; private init; }
    public Guid ReportId { get; private init; }
    public required string From { get; init; }
    public string SealedBody { get; private set; } = "";
    public DateTimeOffset At { get; private init; }
    public string? SentBy { get; private init; }
    // Set once the message was redacted: its text is gone for good.
    public DateTimeOffset? RedactedAt { get; private set; }
    // PostgreSQL's row version (xmin): two redactions of one message at the same moment cannot both be recorded.
    public uint Version { get; private set; }

    public static CaseMessage FromThe(ReporterWrote posted) => new()
    {
        Id = posted.MessageId, ReportId = posted.ReportId, From = MessageSenders.Reporter, SealedBody = posted.SealedBody, At = posted.WrittenAt,
    };

    public static (CaseMessage Message, CaseManagerWrote Sent) ToThe(Case c, string body, string sentBy, Sealer sealer, TimeProvider clock)
    {
        var message = new CaseMessage
        {
            Id = Guid.CreateVersion7(), ReportId = c.ReportId, From = MessageSenders.CaseManager, SealedBody = sealer.Seal(body.Trim()),
            At = clock.GetUtcNow(), SentBy = sentBy,
        };
        return (message, new CaseManagerWrote(message.Id, c.ReportId, c.Reference, message.SealedBody, message.At));
    }

    public CaseMessageView Open(Sealer sealer) => new(Id, From, RedactedAt is null ? sealer.Open<string>(SealedBody) : "", At, SentBy, RedactedAt);

    public void Redact(TimeProvider clock) => (SealedBody, RedactedAt) = ("", clock.GetUtcNow());
}
