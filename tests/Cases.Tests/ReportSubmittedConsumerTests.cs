using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Harbour.Cases.Tests;

public sealed class ReportSubmittedConsumerTests(CasesFactory cases) : IClassFixture<CasesFactory>
{
    async Task<int> CasesFor(Guid reportId)
    {
        await using var scope = cases.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CasesDbContext>().Cases.CountAsync(c => c.ReportId == reportId);
    }

    [Fact]
    public async Task ReportSubmittedOpensACase()
    {
        var report = cases.Report("Shouted at in the library.");

        await cases.PublishAsync(report);

        await Eventually.GetAsync(() => CasesFor(report.ReportId), n => n == 1, "the case to open");
    }

    [Fact]
    public async Task DuplicateReportSubmittedOpensOneCase()
    {
        var report = cases.Report("Followed home from the bus stop.");
        var before = cases.Consumed.Consumed;

        await Task.WhenAll(cases.PublishAsync(report), cases.PublishAsync(report), cases.PublishAsync(report));
        await cases.Consumed.WaitForAsync(before + 3, "three deliveries to be consumed");
        await cases.PublishAsync(report);
        await cases.Consumed.WaitForAsync(before + 4, "a late redelivery to be consumed");

        (await CasesFor(report.ReportId)).ShouldBe(1);
    }

    [Fact]
    public async Task OpeningACaseIsAudited()
    {
        var report = cases.Report("Offensive poster on the noticeboard.");

        await cases.PublishAsync(report);

        await using var scope = cases.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var opened = await Eventually.GetAsync(() => db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.ReportId == report.ReportId),
            c => c is not null, "the case to open");
        (await db.AuditLog.CountAsync(a => a.CaseId == opened!.Id && a.Action == "case.opened" && a.Actor == "system")).ShouldBe(1);
    }
}
