namespace Harbour.Contracts;

/// <summary>A staff session ended before its token expired: signed out, its account disabled or its roles changed.
/// Published by cases; consumed by every other service that accepts staff tokens (analytics), which from then on refuses
/// tokens naming the session. (A session that ends by going unused is refused by cases alone; its token still expires
/// within 8 hours.)</summary>
/// <param name="SessionId">The session's id, the token's <c>sid</c> claim.</param>
/// <param name="Reason">Why it ended, in words: "signed out", "account disabled", "roles changed".</param>
/// <param name="EndedAt">When (UTC).</param>
[PublishedBy(ServiceNames.Cases)]
[ConsumedBy(ServiceNames.Notifications, ServiceNames.Analytics)]
public sealed record StaffSessionEnded(Guid SessionId, string Reason, DateTimeOffset EndedAt);
