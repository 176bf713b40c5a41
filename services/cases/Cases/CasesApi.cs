using Harbour.Cases.Audit;
using Harbour.Contracts;
using Harbour.ServiceDefaults.Profile;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;

namespace Harbour.Cases.Cases;

internal static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cases").RequireAuthorization(StaffPolicies.CaseWork);
        api.MapGet("/", async (CasesDbContext db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok(await db.ListCasesAsync(user, clock, ct)));
        api.MapGet("/{reference}", GetAsync);
        api.MapPost("/{reference}/messages", async (string reference, CaseReply reply, CasesDbContext db, Sealer sealer, ClaimsPrincipal user,
            TimeProvider clock, CancellationToken ct) => Answer(await db.ReplyAsync(reference, reply.Body, user, sealer, clock, ct)));
        api.MapGet("/{reference}/evidence/{id:guid}", GetEvidenceAsync);
        api.MapPost("/{reference}/status", async (string reference, CaseStatusChange change, CasesDbContext db, ClaimsPrincipal user,
            TimeProvider clock, CancellationToken ct) => Answer(await db.ChangeStatusAsync(reference, change.Status, user, clock, ct)));
        return api;
    }

    static async Task<Results<Ok<CaseView>, NotFound>> GetAsync(string reference, CasesDbContext db, Sealer sealer,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
        await db.ViewCaseAsync(reference, sealer, user, clock, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    // A file opens only through this, as a download: every opening is recorded, and the browser is told not to
    // run or guess at what it holds.
    static async Task<IResult> GetEvidenceAsync(string reference, Guid id, CasesDbContext db, Sealer sealer, ClaimsPrincipal user,
        TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var found = await db.Evidence.Join(db.Cases, e => e.CaseId, c => c.Id, (e, c) => new { Evidence = e, c.Reference })
            .SingleOrDefaultAsync(x => x.Evidence.Id == id && x.Reference == reference, ct);
        if (found is null) return TypedResults.NotFound();
        db.AuditLog.Add(AuditEntry.By(user, "evidence.viewed", clock, found.Evidence.CaseId, found.Evidence.FileName));
        await db.SaveChangesAsync(ct);
        response.Headers.ContentSecurityPolicy = "sandbox";
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(sealer.OpenBytes(found.Evidence.SealedContent), found.Evidence.ContentType, found.Evidence.FileName);
    }

    static IResult Answer(CaseWorkResult result) => result switch
    {
        { Found: false } => TypedResults.NotFound(),
        { Problem: { } problem } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Message] }),
        _ => TypedResults.NoContent(),
    };

    // Every read is recorded, whether through the API or the pages.
    public static async Task<List<CaseSummary>> ListCasesAsync(this CasesDbContext db, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        var cases = await db.Cases.OrderByDescending(c => c.SubmittedAt).ToSummaries().ToListAsync(ct);
        db.AuditLog.Add(AuditEntry.By(user, "cases.listed", clock, detail: $"{cases.Count} cases"));
        await db.SaveChangesAsync(ct);
        return cases;
    }

    public static async Task<CaseView?> ViewCaseAsync(this CasesDbContext db, string reference, Sealer sealer,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var found = await db.Cases.SingleOrDefaultAsync(c => c.Reference == reference, ct);
        if (found is null) return null;
        db.AuditLog.Add(AuditEntry.By(user, "case.viewed", clock, found.Id));
        await db.SaveChangesAsync(ct);
        var summary = found.ToSummary();
        var profile = await db.ProfileVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Version == found.ProfileVersion, ct);
        var plan = CasePlan.For(summary, found.ProfileVersion, profile?.Profile ?? DefaultProfile.Value);
        var messages = await db.Messages.AsNoTracking().Where(m => m.CaseId == found.Id).OrderBy(m => m.At).ToListAsync(ct);
        var evidence = await db.Evidence.Where(e => e.CaseId == found.Id).OrderBy(e => e.SubmittedAt)
            .Select(e => new EvidenceView(e.Id, e.FileName, e.ContentType, e.Size)).ToListAsync(ct);
        return new CaseView(summary, sealer.Open<ReportDetails>(found.SealedDetails), plan, messages.Select(m => m.Open(sealer)).ToList(), evidence);
    }
}
