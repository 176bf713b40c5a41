using System.Security.Claims;
using Harbour.Cases.Audit;
using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Harbour.Cases.Casework;

// The case managers' JSON API (Admin and CaseManager roles). A case is named by its reference, HR-yyyy-nnnnnn; an
// unknown one is 404. Every read and change is audited.
internal static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cases").RequireAuthorization(StaffPolicies.CaseWork);
        api.MapGet("/", async (CasesDbContext db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok(await db.ListCasesAsync(user, clock, ct)))
            .WithSummary("Every case, newest first");
        api.MapGet("/{reference}", GetAsync)
            .WithSummary("A case: the report opened, its plan under the profile version it was made under, conversation and files");
        api.MapPost("/{reference}/messages", ReplyAsync)
            .WithSummary("Write to the reporter (1 to 5,000 characters; 400 otherwise); a first reply moves a received case to with-case-manager");
        api.MapGet("/{reference}/evidence/{id:guid}", GetEvidenceAsync)
            .WithSummary("Download a file the reporter sent; every download is audited");
        api.MapPost("/{reference}/involvements", RecordInvolvementAsync)
            .WithSummary("Record that a staff member is involved in the case (a conflict of interest): from then on they never see it. "
                + "Without userId, the caller; an admin may name anyone.");
        api.MapPost("/{reference}/status", ChangeStatusAsync)
            .WithSummary("Change the status the reporter sees: received, with-case-manager, action-taken or closed (400 otherwise)");
        return api;
    }

    internal sealed record CaseRequest(string Reference, CasesDbContext Db, Sealer Sealer, ClaimsPrincipal User, TimeProvider Clock);

    static async Task<Results<Ok<CaseView>, NotFound>> GetAsync([AsParameters] CaseRequest request, CancellationToken ct) =>
        await request.Db.ViewCaseAsync(request.Reference, request.Sealer, request.User, request.Clock, ct) is { } view
            ? TypedResults.Ok(view) : TypedResults.NotFound();

    static async Task<Results<NoContent, NotFound, ValidationProblem>> ReplyAsync([AsParameters] CaseRequest request, CaseReply reply,
        CancellationToken ct) =>
        Answer(await request.Db.ReplyAsync(request.Reference, reply.Body, request.User, request.Sealer, request.Clock, ct));

    static async Task<Results<NoContent, NotFound, ValidationProblem>> ChangeStatusAsync([AsParameters] CaseRequest request,
        CaseStatusChange change, CancellationToken ct) =>
        Answer(await request.Db.ChangeStatusAsync(request.Reference, change.Status, request.User, request.Clock, ct));

    static async Task<Results<NoContent, NotFound, ValidationProblem>> RecordInvolvementAsync([AsParameters] CaseRequest request,
        InvolvementRequest involvement, CancellationToken ct) =>
        Answer(await request.Db.RecordInvolvementAsync(request.Reference, involvement.UserId, request.User, request.Clock, ct));

    // A file opens only through this, as a download: every opening is recorded, and the browser is told not to
    // run or guess at what it holds.
    static async Task<Results<FileContentHttpResult, NotFound>> GetEvidenceAsync([AsParameters] CaseRequest request, Guid id,
        HttpResponse response, CancellationToken ct)
    {
        var db = request.Db;
        var found = await db.Evidence.Join(db.VisibleCases(request.User), e => e.ReportId, c => c.ReportId, (e, c) => new { Evidence = e, CaseId = c.Id, c.Reference })
            .SingleOrDefaultAsync(x => x.Evidence.Id == id && x.Reference == request.Reference, ct);
        if (found is null) return TypedResults.NotFound();
        db.AuditLog.Add(AuditEntry.By(request.User, "evidence.viewed", request.Clock, found.CaseId, found.Evidence.FileName));
        await db.SaveChangesAsync(ct);
        response.Headers.ContentSecurityPolicy = "sandbox";
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(request.Sealer.OpenBytes(found.Evidence.SealedContent), found.Evidence.ContentType, found.Evidence.FileName);
    }

    static Results<NoContent, NotFound, ValidationProblem> Answer(CaseWorkResult result) => result switch
    {
        { Found: false } => TypedResults.NotFound(),
        { Problem: { } problem } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Message] }),
        _ => TypedResults.NoContent(),
    };
}
