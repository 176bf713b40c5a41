using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Harbour.ServiceDefaults.Messaging;

// An event waiting to be published, written in the same transaction as the change it announces.
public sealed class OutboxMessage
{
    public long Id { get; private set; }
    public Guid MessageId { get; private init; }
    public required string Type { get; init; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset? SentAt { get; private set; }

    // A large event (an evidence file) is not kept a second time once the broker has it.
    public void MarkSent(TimeProvider clock)
    {
        SentAt = clock.GetUtcNow();
        if (Payload.Length > LargePayload) Payload = "{}";
    }

    public const int LargePayload = 64 * 1024;

    public static OutboxMessage For<T>(T message, TimeProvider clock) where T : class => new()
    {
        MessageId = Guid.CreateVersion7(),
        Type = typeof(T).FullName!,
        Payload = JsonSerializer.Serialize(message),
        CreatedAt = clock.GetUtcNow(),
    };

    internal object Deserialize(Type type) => JsonSerializer.Deserialize(Payload, type)
        ?? throw new InvalidOperationException($"Outbox message {Id} has an empty payload.");
}

public static class OutboxModel
{
    public static ModelBuilder AddOutbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.Property(m => m.Payload).HasColumnType("jsonb");
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.HasIndex(m => m.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        });
        return model;
    }
}
