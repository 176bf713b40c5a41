using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Harbour.ServiceDefaults.Outbox;

// An event waiting to be published, written in the same transaction as the change it announces.
public sealed class OutboxMessage
{
    public long Id { get; private set; }
    public Guid MessageId { get; private init; }
    // The message's full type name (Harbour.Contracts.ReportSubmitted).
    public required string Type { get; init; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset? SentAt { get; private set; }
    // The W3C traceparent of the request that wrote the row: its publication continues that trace.
    public string? TraceParent { get; private init; }
    // The payload holds a secret (an invitation's link): it is not kept once the broker has it.
    public bool Secret { get; private init; }

    // A large event (an evidence file) is not kept a second time once the broker has it.
    public void MarkSent(TimeProvider clock)
    {
        SentAt = clock.GetUtcNow();
        if (Secret || Payload.Length > LargePayload) Payload = "{}";
    }

    public const int LargePayload = 64 * 1024;

    public static OutboxMessage For<T>(T message, TimeProvider clock, bool secret = false) where T : class => new()
    {
        Secret = secret,
        MessageId = Guid.CreateVersion7(),
        Type = typeof(T).FullName!,
        Payload = JsonSerializer.Serialize(message),
        CreatedAt = clock.GetUtcNow(),
        TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null,
    };

    // Found among the loaded assemblies (the service's contracts are loaded by the time it writes a row), once per name.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Type> Types = new();

    internal (object Message, Type Type) Read()
    {
        if (!Types.TryGetValue(Type, out var type))
        {
            // A miss is not remembered: the assembly may simply not be loaded yet.
            type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(Type)).FirstOrDefault(t => t is not null)
                ?? throw new InvalidOperationException($"Outbox message {Id} has unknown type {Type}.");
            Types[Type] = type;
        }
        return (JsonSerializer.Deserialize(Payload, type) ?? throw new InvalidOperationException($"Outbox message {Id} has an empty payload."), type);
    }
}

public static class OutboxModel
{
    // Sent events of type T that name an id (a report's, a message's) are emptied: a redaction leaves no copy behind.
    public static Task<int> ForgetSentAsync<T>(this DbContext db, Guid id, CancellationToken ct) where T : class =>
        db.Database.ExecuteSqlAsync($"UPDATE outbox_messages SET payload = '{{}}' WHERE sent_at IS NOT NULL AND type = {typeof(T).FullName} AND payload::text LIKE {"%" + id + "%"}", ct);

    // Everything the outbox holds about a report deleted for good (its retention ended), found by its id or its reference (as
    // a JSON string, so HR-2026-000001 does not find HR-2026-0000011): events still waiting go (they would carry copies back
    // to a service that deleted its own, or email them), and those sent and kept a while are emptied.
    public static async Task ForgetEverythingAboutAsync(this DbContext db, Guid id, string reference, CancellationToken ct)
    {
        var (byId, byReference) = ("%" + id + "%", "%\"" + reference + "\"%");
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM outbox_messages WHERE sent_at IS NULL AND (payload::text LIKE {byId} OR payload::text LIKE {byReference})", ct);
        await db.Database.ExecuteSqlAsync(
            $"UPDATE outbox_messages SET payload = '{{}}' WHERE sent_at IS NOT NULL AND (payload::text LIKE {byId} OR payload::text LIKE {byReference})", ct);
    }

    public static ModelBuilder AddOutbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.Property(m => m.Payload).HasColumnType("jsonb");
            outbox.Property(m => m.TraceParent).HasMaxLength(64);
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.HasIndex(m => m.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
            outbox.HasIndex(m => m.SentAt).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_sent");
        });
        return model;
    }
}
