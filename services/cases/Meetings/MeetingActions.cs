using System.Globalization;
using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.Cases.Casework;
using Harbour.Cases.Profile;
using Harbour.Contracts;
using Harbour.Profile;
using Harbour.ServiceDefaults.Outbox;
using Harbour.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Meetings;

// Meetings with the reporter: arranged, moved or cancelled (everyone invited hears, through notifications' iCalendar emails
// and the reporter's follow-up page), and afterwards recorded as held or missed, with a note and what was agreed as tasks.
public static class MeetingActions
{
    const int WhereLimit = 500;

    public static async Task<CaseWorkResult> ArrangeMeetingAsync(this CasesDbContext db, string reference, MeetingRequest request, ClaimsPrincipal user,
        Sealer sealer, Sealer mail, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (found.Status == CaseStatuses.Closed) return new(true, new("date", "The case is closed: reopen it to arrange a meeting."));
        var earlier = request.MeetingId is { } id ? await db.Meetings.SingleOrDefaultAsync(m => m.Id == id, ct) : null;
        if (earlier is not null && (earlier.CaseId != found.Id || earlier.Status != MeetingStatuses.Scheduled))
            return new(true, new("date", "That meeting was cancelled or has taken place: arrange a new one."));
        if (request.Date is not { } date) return new(true, new("date", "Give the date of the meeting."));
        if (!TimeOnly.TryParseExact(request.Time?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return new(true, new("time", "Give the time as 24-hour hours and minutes, like 14:30."));
        var local = date.ToDateTime(time);
        if (UkTime.Zone.IsInvalidTime(local)) return new(true, new("time", "That time does not exist: the clocks go forward then. Choose another time."));
        if (UkTime.Zone.IsAmbiguousTime(local)) return new(true, new("time", "That time happens twice: the clocks go back then. Choose another time."));
        var startsAt = new DateTimeOffset(local, UkTime.Zone.GetUtcOffset(local)).ToUniversalTime();
        if (startsAt <= clock.GetUtcNow()) return new(true, new("date", "Choose a date and time still to come."));
        if (startsAt > clock.GetUtcNow().AddYears(1)) return new(true, new("date", "Choose a date within the next year."));
        var minutes = request.Minutes ?? 60;
        if (minutes is < 15 or > 240) return new(true, new("minutes", "A meeting lasts 15 to 240 minutes."));
        if (!ReportAnswers.MeetingFormats.Has(request.Format))
            return new(true, new("format", $"Choose how: {Terms.Listed(ReportAnswers.MeetingFormats.Select(t => t.Label.ToLowerInvariant()))}."));
        var where = string.IsNullOrWhiteSpace(request.Where) ? null : request.Where.Trim();
        if (WhereProblem(request.Format!, where) is { } whereProblem) return new(true, new("where", whereProblem));
        var staff = await db.AssignableStaffAsync(found, ct);
        var withId = string.IsNullOrWhiteSpace(request.WithId) ? found.AssigneeId ?? user.FindFirstValue("sub") : request.WithId.Trim();
        if (staff.FirstOrDefault(s => s.Id == withId && s.Sees(found)) is not { } with)
            return new(true, new("withId", "Choose who the reporter meets: a case manager who may work on this case."));

        var actor = AuditEntry.ActorOf(user);
        Meeting meeting;
        Recipient? replaced = null;
        if (earlier is null)
        {
            meeting = new Meeting
            {
                Id = request.MeetingId is { } given && given != Guid.Empty ? given : Guid.CreateVersion7(), CaseId = found.Id, StartsAt = startsAt,
                Minutes = minutes, Format = request.Format!, Where = where, WithId = with.Id, ArrangedBy = actor, ArrangedAt = clock.GetUtcNow(),
                EmailReporter = request.EmailReporter ?? true,
            };
            db.Meetings.Add(meeting);
        }
        else
        {
            // The same details sent again (a double click, a retried request) are the meeting already arranged or moved.
            if (earlier.StartsAt == startsAt && earlier.Minutes == minutes && earlier.Format == request.Format && earlier.Where == where && earlier.WithId == with.Id)
                return new(true);
            // A form to arrange a meeting sent again with other details (the browser's Back) must not move the first one; nor may
            // a move made from an older view overwrite a move made meanwhile.
            if (request.Sequence is null) return new(true, new("date", "That meeting was arranged already. To arrange another, start from the case again."));
            if (request.Sequence != earlier.Sequence) return new(true, new("date", "Someone moved this meeting meanwhile. Look at it again, then move it if it still needs moving."));
            meeting = earlier;
            replaced = earlier.WithId == with.Id ? null : await db.RecipientAsync(earlier.WithId, ct);
            (meeting.StartsAt, meeting.Minutes, meeting.Format, meeting.Where, meeting.WithId) = (startsAt, minutes, request.Format!, where, with.Id);
            meeting.Sequence++;
        }
        db.Timeline.Add(TimelineEntry.On(found, earlier is null ? TimelineKinds.MeetingArranged : TimelineKinds.MeetingMoved, actor, clock,
            subject: $"{meeting.Id}/{startsAt:O}"));
        db.Outbox.Add(OutboxMessage.For(new MeetingScheduled(meeting.Id, found.ReportId, found.Reference, meeting.Sequence,
            await db.DetailsAsync(found, meeting, with, sealer, mail, ct), replaced), clock, secret: true));
        db.AuditLog.Add(AuditEntry.By(user, earlier is null ? "case.meeting-arranged" : "case.meeting-moved", clock, found.Id, $"{startsAt:O} {meeting.Format}"));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    public static async Task<CaseWorkResult> CancelMeetingAsync(this CasesDbContext db, string reference, Guid meetingId, ClaimsPrincipal user,
        Sealer sealer, Sealer mail, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId && m.CaseId == found.Id, ct) is not { } meeting)
            return new(true, new("meeting", "There is no such meeting on this case."));
        if (meeting.Status == MeetingStatuses.Cancelled) return new(true);
        if (meeting.Status != MeetingStatuses.Scheduled) return new(true, new("meeting", "That meeting has been recorded as held or missed."));
        await db.CancelAsync(found, meeting, AuditEntry.ActorOf(user), sealer, mail, clock, ct);
        db.AuditLog.Add(AuditEntry.By(user, "case.meeting-cancelled", clock, found.Id, $"{meeting.StartsAt:O}"));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    // A case closed with meetings still to come: they are called off, and everyone invited hears (nobody comes to a meeting
    // on a closed case). Saved with the closure.
    internal static async Task CancelComingMeetingsAsync(this CasesDbContext db, Case found, string actor, Sealer sealer, Sealer mail, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var meeting in await db.Meetings.Where(m => m.CaseId == found.Id && m.Status == MeetingStatuses.Scheduled && m.StartsAt > now).ToListAsync(ct))
            await db.CancelAsync(found, meeting, actor, sealer, mail, clock, ct);
    }

    static async Task CancelAsync(this CasesDbContext db, Case found, Meeting meeting, string actor, Sealer sealer, Sealer mail, TimeProvider clock,
        CancellationToken ct)
    {
        meeting.Status = MeetingStatuses.Cancelled;
        meeting.Sequence++;
        var with = await db.RecipientAsync(meeting.WithId, ct);
        db.Timeline.Add(TimelineEntry.On(found, TimelineKinds.MeetingCancelled, actor, clock, subject: $"{meeting.Id}/{meeting.StartsAt:O}"));
        db.Outbox.Add(OutboxMessage.For(new MeetingCancelled(meeting.Id, found.ReportId, found.Reference, meeting.Sequence,
            await db.DetailsAsync(found, meeting, with, sealer, mail, ct)), clock, secret: true));
    }

    // A staff member to invite (or to tell of a cancellation), whether or not they may still work on the case.
    static async Task<Recipient> RecipientAsync(this CasesDbContext db, string userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => new Recipient(u.Email!, u.DisplayName)).SingleOrDefaultAsync(ct)
        ?? new Recipient("", "someone no longer on the staff list");

    public static async Task<CaseWorkResult> RecordMeetingAsync(this CasesDbContext db, string reference, Guid meetingId, MeetingRecord record,
        ClaimsPrincipal user, Sealer sealer, TimeProvider clock, CancellationToken ct)
    {
        if (await db.VisibleCases(user).SingleOrDefaultAsync(c => c.Reference == reference, ct) is not { } found) return new(false);
        if (await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId && m.CaseId == found.Id, ct) is not { } meeting)
            return new(true, new("meeting", "There is no such meeting on this case."));
        if (meeting.Status is MeetingStatuses.Held or MeetingStatuses.Missed) return new(true);
        if (record.Attended is not { } attended) return new(true, new($"attended-{meetingId}", "Say whether the reporter came."));
        if (meeting.Status == MeetingStatuses.Cancelled) return new(true, new($"note-{meetingId}", "That meeting was cancelled."));
        if (meeting.StartsAt > clock.GetUtcNow()) return new(true, new($"note-{meetingId}", "The meeting has not started yet."));
        var note = string.IsNullOrWhiteSpace(record.Note) ? null : record.Note.Trim();
        if (Limits.IsOver(note, Limits.Message)) return new(true, new($"note-{meetingId}", $"Keep the note under {Limits.Message:N0} characters."));
        var agreed = (record.Agreed ?? "").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        if (agreed.Count > 10 || agreed.Any(a => Limits.IsOver(a, Limits.ShortText)))
            return new(true, new($"agreed-{meetingId}", $"Give at most 10 actions, one a line, each under {Limits.ShortText} characters."));

        var actor = AuditEntry.ActorOf(user);
        meeting.Status = attended ? MeetingStatuses.Held : MeetingStatuses.Missed;
        if (note is not null) meeting.SealedNote = sealer.Seal(note);
        db.Timeline.Add(TimelineEntry.On(found, attended ? TimelineKinds.MeetingHeld : TimelineKinds.MeetingMissed, actor, clock,
            subject: $"{meeting.Id}/{meeting.StartsAt:O}", sealedText: meeting.SealedNote));
        // What was agreed: tasks for the person met, if they may still work on the case (else whoever has it).
        var staff = await db.AssignableStaffAsync(found, ct);
        var owner = new[] { meeting.WithId, found.AssigneeId }.FirstOrDefault(id => staff.Any(s => s.Id == id && s.Sees(found)))
            ?? user.FindFirstValue("sub");
        var due = WorkingDays.After(clock.GetUtcNow(), 5, (await db.ProfileOfAsync(found, ct)).Closures);
        foreach (var action in agreed.Where(_ => owner is not null)) db.AddTask(found, action, due, owner!, actor, sealer, clock);
        if (attended)
        {
            await db.MeetStepAsync(found, ResponseSteps.FirstContact, FirstContactMethods.Meeting, user, clock, ct);
            if (found.Status is CaseStatuses.Received or CaseStatuses.Triaged) db.StatusChanged(found, CaseStatuses.WithCaseManager, null, user, clock);
        }
        db.Outbox.Add(OutboxMessage.For(new MeetingRecorded(meeting.Id, found.ReportId, attended, meeting.Format, meeting.StartsAt), clock));
        db.AuditLog.Add(AuditEntry.By(user, "case.meeting-recorded", clock, found.Id, meeting.Status));
        await db.SaveChangesAsync(ct);
        return new(true);
    }

    static string? WhereProblem(string format, string? where) => format switch
    {
        _ when where?.Length > WhereLimit => $"Keep it under {WhereLimit} characters.",
        _ when Limits.HasHiddenCharacters(where) || where?.IndexOfAny(['\r', '\n']) >= 0 => "Keep it to one line of ordinary characters.",
        "in-person" when where is null => "Say where: the building and room.",
        "online" when !Uri.TryCreate(where, UriKind.Absolute, out var link) || link.Scheme != Uri.UriSchemeHttps => "Give the meeting's link, starting https://.",
        _ => null,
    };

    // The invitation's details: the reporter is invited by email only when they gave an address, chose email, and said it is safe.
    static Task<MeetingDetails> DetailsAsync(this CasesDbContext db, Case found, Meeting meeting, StaffChoice with, Sealer sealer, Sealer mail,
        CancellationToken ct) =>
        db.DetailsAsync(found, meeting, new Recipient(with.Email, with.Name), sealer, mail, ct);

    static async Task<MeetingDetails> DetailsAsync(this CasesDbContext db, Case found, Meeting meeting, Recipient with, Sealer sealer, Sealer mail,
        CancellationToken ct)
    {
        var details = sealer.Open<ReportDetails>(found.SealedDetails);
        var reporter = meeting.EmailReporter ? ReporterContact.SealedEmailIfSafe(details, mail) : null;
        var institution = ((await db.CurrentProfileAsync(ct))?.Profile ?? DefaultProfile.Value).Name;
        return new MeetingDetails(meeting.StartsAt, meeting.Minutes, meeting.Format, meeting.Where, with, reporter, institution);
    }
}
