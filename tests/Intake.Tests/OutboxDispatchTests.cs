using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Harbour.Intake.Tests;

// Intake with every span it exports kept in memory, as the Aspire dashboard would receive them; sent outbox rows are kept
// one second only.
public sealed class TracedIntakeFactory : ServiceFactory<Program>
{
    public ConcurrentQueue<Activity> Exported { get; } = new();

    public TracedIntakeFactory() : base("intakedb") => Settings["Outbox:KeepSent"] = "00:00:01";

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.ConfigureServices(services =>
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(new ExportedList(Exported))));

    // The exporter wants an ICollection; this one is safe to read while the service adds to it.
    sealed class ExportedList(ConcurrentQueue<Activity> queue) : ICollection<Activity>
    {
        public void Add(Activity item) => queue.Enqueue(item);
        public int Count => queue.Count;
        public bool IsReadOnly => false;
        public void Clear() => queue.Clear();
        public bool Contains(Activity item) => queue.Contains(item);
        public void CopyTo(Activity[] array, int arrayIndex) => queue.CopyTo(array, arrayIndex);
        public bool Remove(Activity item) => throw new NotSupportedException();
        public IEnumerator<Activity> GetEnumerator() => queue.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

public sealed class OutboxDispatchTests(TracedIntakeFactory intake) : IClassFixture<TracedIntakeFactory>
{
    [Fact]
    public async Task AReportIsOneTraceFromTheReportersRequestToItsConsumer()
    {
        var consumed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = intake.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(TestServers.UniqueName("traced"), endpoint =>
            endpoint.Handler<ReportSubmitted>(context =>
            {
                consumed.TrySetResult(Activity.Current?.TraceId.ToString() ?? "no trace");
                return Task.CompletedTask;
            }));
        await listener.Ready;
        var traceId = ActivityTraceId.CreateRandom().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(ValidReports.Anonymous()) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        (await intake.CreateClient().SendAsync(request)).EnsureSuccessStatusCode();

        (await consumed.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).ShouldBe(traceId);
        var trace = await Eventually.GetAsync(() => Task.FromResult(intake.Exported.Where(a => a.TraceId.ToString() == traceId).ToList()),
            spans => spans.Any(s => s.Source.Name == OutboxRegistration.ActivitySourceName) && spans.Any(s => s.Kind == ActivityKind.Consumer),
            "the request, the outbox's publication and the consumer in one trace");
        trace.ShouldContain(s => s.Kind == ActivityKind.Server, "the reporter's request");
        trace.ShouldContain(s => s.Kind == ActivityKind.Producer, "MassTransit's publication");
        // Database work shows in a trace, named by its database: so an idle outbox that queried it would show too.
        trace.ShouldContain(s => s.TagObjects.Any(t => $"{t.Value}".Contains(Database)), "the report's database writes");
    }

    [Fact]
    public async Task PollingAnIdleOutboxMakesNoTrace()
    {
        await Eventually.GetAsync(() => UnsentAsync(), n => n == 0, "the outbox to be empty");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = intake.Exported.Count;

        // The dispatcher looks every 100 ms here: some thirty looks at an empty table.
        await Task.Delay(TimeSpan.FromSeconds(3));

        // Other tests' services in this process share the activity sources: only spans about this service's database count.
        intake.Exported.Skip(before).Where(a => a.TagObjects.Any(t => $"{t.Value}".Contains(Database)))
            .Select(a => $"{a.Source.Name} {a.DisplayName}").ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoDispatchersOnOneOutboxPublishEveryRowExactlyOnce()
    {
        var seen = new ConcurrentDictionary<Guid, int>();
        var listener = intake.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(TestServers.UniqueName("twice"), endpoint =>
            endpoint.Handler<ReportSubmitted>(context =>
            {
                if (context.Message.Reference.StartsWith("TWO-")) seen.AddOrUpdate(context.MessageId!.Value, 1, (_, n) => n + 1);
                return Task.CompletedTask;
            }));
        await listener.Ready;
        // A second replica's dispatcher on the same table, beside the service's own.
        var second = ActivatorUtilities.CreateInstance<OutboxDispatcher<IntakeDbContext>>(intake.Services);
        await second.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await using var scope = intake.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
            var clock = TimeProvider.System;
            for (var i = 0; i < 200; i++)
                db.Outbox.Add(OutboxMessage.For(Harbour.Testing.Reports.Submitted() with { Reference = $"TWO-{i:000}" }, clock));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);

            await Eventually.GetAsync(() => Task.FromResult(seen.Count), n => n == 200, "every row to be published");
            await Eventually.GetAsync(() => UnsentAsync(), n => n == 0, "every row to be marked sent");
            await Task.Delay(TimeSpan.FromSeconds(2));
            seen.Where(s => s.Value > 1).ShouldBeEmpty("no row published twice");
        }
        finally
        {
            await second.StopAsync(CancellationToken.None);
        }
    }

    // A row that cannot be read (its type unknown) holds back only itself: the rest of its batch is published once and marked
    // sent, and is not published again while the dispatcher retries.
    [Fact]
    public async Task ARowThatCannotBeReadHoldsBackOnlyItself()
    {
        var seen = new ConcurrentDictionary<Guid, int>();
        var listener = intake.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(TestServers.UniqueName("unreadable"), endpoint =>
            endpoint.Handler<ReportSubmitted>(context =>
            {
                if (context.Message.Reference.StartsWith("BESIDE-")) seen.AddOrUpdate(context.MessageId!.Value, 1, (_, n) => n + 1);
                return Task.CompletedTask;
            }));
        await listener.Ready;
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var ct = TestContext.Current.CancellationToken;
        var unreadable = Guid.CreateVersion7();
        try
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO outbox_messages (message_id, type, payload, created_at, secret)
                    VALUES ({unreadable}, 'Harbour.Contracts.NoSuchMessage', jsonb_build_object(), now(), false)
                    """, ct);
                for (var i = 0; i < 3; i++)
                    db.Outbox.Add(OutboxMessage.For(Harbour.Testing.Reports.Submitted() with { Reference = $"BESIDE-{i}" }, TimeProvider.System));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            });

            await Eventually.GetAsync(() => Task.FromResult(seen.Count), n => n == 3, "the rows beside it to be published");
            await Eventually.GetAsync(() => db.Outbox.AsNoTracking().CountAsync(m => m.SentAt == null && m.Type == typeof(ReportSubmitted).FullName, ct),
                n => n == 0, "the rows beside it to be marked sent");
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            seen.Values.ShouldAllBe(n => n == 1, "none published again while the dispatcher retries");
            (await db.Outbox.AsNoTracking().SingleAsync(m => m.MessageId == unreadable, ct)).SentAt.ShouldBeNull();
        }
        finally
        {
            await db.Outbox.Where(m => m.MessageId == unreadable).ExecuteDeleteAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task SentRowsAreDeletedOnceTheirKeepingTimeHasPassed()
    {
        await using var scope = intake.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var row = OutboxMessage.For(Harbour.Testing.Reports.Submitted() with { Reference = "KEEP-ONE-SECOND" }, TimeProvider.System);
        db.Outbox.Add(row);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        // Kept a second once sent (Outbox:KeepSent here), then deleted.
        await Eventually.GetAsync(() => db.Outbox.AsNoTracking().Where(m => m.Id == row.Id).Select(m => m.SentAt).SingleAsync(), sent => sent is not null,
            "the row to be sent");
        await Eventually.GetAsync(() => db.Outbox.AsNoTracking().CountAsync(m => m.Id == row.Id), n => n == 0, "the sent row to be deleted");
    }

    string Database => new Npgsql.NpgsqlConnectionStringBuilder(intake.Settings["ConnectionStrings:intakedb"]).Database!;

    async Task<int> UnsentAsync()
    {
        await using var scope = intake.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IntakeDbContext>().Outbox.CountAsync(m => m.SentAt == null);
    }
}
