namespace Harbour.Contracts;

/// <summary>The newest entry of cases' audit log as it stood at one moment: an anchor kept outside the database. The chain
/// (AppHost/DatabaseRoles.cs) shows an entry changed or removed in the middle of the log, but whoever administers the database
/// server could remove its newest entries, or rewrite the whole chain, and it would still verify; an anchor copied out
/// before shows both. Published by cases once a UK day (Audit/AuditAnchor.cs); consumed by notifications, which emails it
/// once per anchor to the addresses in Notifications:AuditAnchorTo (a data-protection officer's mailbox, out of that
/// administrator's reach). An admin checks the log against any anchor on /cases/audit. Carries no case content.</summary>
/// <param name="AnchorId">The anchor's id (UUID v7): with a recipient's address, the key that sends each email once.</param>
/// <param name="EntryId">The newest entry's id (its number on /cases/audit and in the CSV).</param>
/// <param name="Hash">That entry's SHA-256 chain hash, worked out by cases from the entries themselves: 64 lowercase
/// hexadecimal characters. It covers the entry and, through the chain, every entry before it.</param>
/// <param name="EntryAt">When that entry was written (UTC).</param>
/// <param name="At">When the anchor was taken (UTC).</param>
/// <param name="ChainHolds">Whether the log's own hashes, and every detail still kept, agreed with the chain worked out
/// when the anchor was taken; false means an entry had already been changed or removed outside Harbour.</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications)]
public sealed record AuditChainAnchored(Guid AnchorId, long EntryId, string Hash, DateTimeOffset EntryAt, DateTimeOffset At, bool ChainHolds);
