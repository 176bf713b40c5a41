using Harbour.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NetEscapades.AspNetCore.SecurityHeaders;

namespace Harbour.Notifications.Templates;

// /notifications/templates/{purpose}: change an email's words, see it as it will go (plain text and HTML, with sample values)
// before saving, or go back to the default. A mistake comes back beside its field with what was typed kept.
[Authorize(Policy = StaffPolicies.Administration)]
// The preview frame shows the email as its HTML, which styles itself inline.
[SecurityHeadersPolicy(HeaderPolicy.InlineStyles)]
public sealed class TemplateEditModel(NotificationsDbContext db, TimeProvider clock) : PageModel
{
    public EmailPurpose Purpose { get; private set; } = null!;
    public string Subject { get; private set; } = "";
    public string Text { get; private set; } = "";
    public bool Changed { get; private set; }
    public (string Field, string Message)? Problem { get; private set; }
    public RenderedEmail? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync(string purpose, CancellationToken ct)
    {
        if (EmailPurposes.Find(purpose) is not { Editable: true } found) return NotFound();
        Purpose = found;
        (Subject, Text) = await db.WordsAsync(found, ct);
        Changed = await db.Templates.AnyAsync(t => t.Purpose == found.Code, ct);
        Preview = EmailTemplates.Preview(found, Subject, Text);
        return Page();
    }

    public Task<IActionResult> OnPostPreviewAsync(string purpose, string? subject, string? text, CancellationToken ct) =>
        AnswerAsync(purpose, subject, text, save: false, ct);

    public Task<IActionResult> OnPostSaveAsync(string purpose, string? subject, string? text, CancellationToken ct) =>
        AnswerAsync(purpose, subject, text, save: true, ct);

    public async Task<IActionResult> OnPostDefaultAsync(string purpose, CancellationToken ct)
    {
        if (EmailPurposes.Find(purpose) is not { Editable: true } found) return NotFound();
        await db.Templates.Where(t => t.Purpose == found.Code).ExecuteDeleteAsync(ct);
        TempData["notice"] = $"{found.Label}: back to Harbour's default words.";
        return Redirect("/notifications/templates");
    }

    async Task<IActionResult> AnswerAsync(string purpose, string? subject, string? text, bool save, CancellationToken ct)
    {
        if (EmailPurposes.Find(purpose) is not { Editable: true } found) return NotFound();
        (Purpose, Subject, Text) = (found, subject?.Trim() ?? "", text?.ReplaceLineEndings("\n").Trim() ?? "");
        Changed = await db.Templates.AnyAsync(t => t.Purpose == found.Code, ct);
        Problem = EmailTemplates.Problem(found, Subject, Text);
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!save)
        {
            Preview = EmailTemplates.Preview(found, Subject, Text);
            return Page();
        }
        var own = await db.Templates.SingleOrDefaultAsync(t => t.Purpose == found.Code, ct);
        if (own is null) db.Templates.Add(own = new EmailTemplate { Purpose = found.Code, Subject = Subject, Text = Text, UpdatedBy = "" });
        (own.Subject, own.Text, own.UpdatedAt, own.UpdatedBy) = (Subject, Text, clock.GetUtcNow(), User.Identity?.Name ?? "an admin");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another admin saved the first version of this template at the same moment: theirs stands, and this one follows it.
            db.ChangeTracker.Clear();
            await db.Templates.Where(t => t.Purpose == found.Code).ExecuteUpdateAsync(set => set.SetProperty(t => t.Subject, Subject)
                .SetProperty(t => t.Text, Text).SetProperty(t => t.UpdatedAt, clock.GetUtcNow()).SetProperty(t => t.UpdatedBy, User.Identity?.Name ?? "an admin"), ct);
        }
        TempData["notice"] = $"{found.Label}: saved. Emails sent from now on use these words.";
        return Redirect("/notifications/templates");
    }
}
