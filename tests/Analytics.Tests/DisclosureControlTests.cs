using Harbour.Analytics.Disclosure;

namespace Harbour.Analytics.Tests;

// HESA's rounding and suppression, with worked examples (HESA, "Rounding and suppression to anonymise statistics").
public sealed class DisclosureControlTests
{
    static readonly DisclosureRules Rounded = DisclosureRules.Rounded, Unrounded = new(true);

    [Theory]
    [InlineData(0, 0), InlineData(1, 0), InlineData(2, 0), InlineData(3, 5), InlineData(4, 5), InlineData(7, 5), InlineData(8, 10),
     InlineData(12, 10), InlineData(13, 15), InlineData(22, 20), InlineData(23, 25), InlineData(1_234, 1_235)]
    public void CountsAreRoundedToTheNearestFiveAndBelowTwoAndAHalfToNought(int count, int shown) =>
        DisclosureControl.Round(count).ShouldBe(shown);

    [Fact]
    public void ASmallCountShowsAsTheConfiguredPhraseAndTrueCountsOnlyUnrounded()
    {
        DisclosureControl.Count(2, Rounded).ShouldBe("0");
        DisclosureControl.Count(2, new DisclosureRules(false, "fewer than 5")).ShouldBe("fewer than 5");
        DisclosureControl.Count(1_234, Rounded).ShouldBe("1,235");
        DisclosureControl.Count(2, Unrounded).ShouldBe("2");
    }

    [Fact]
    public void ASharesPopulationMustBeAtLeastTwentyTwoAndAHalfAndAShareIsOfTheRoundedCounts()
    {
        DisclosureControl.Share(11, 22, Rounded).ShouldBeNull();
        DisclosureControl.Share(11, 23, Rounded).ShouldBe("40%", "10 of 25");
        DisclosureControl.Share(2, 100, Rounded).ShouldBeNull("2 of 100 is 2%, which would say the count");
        DisclosureControl.Share(11, 22, Unrounded).ShouldBe("50%");
    }

    [Fact]
    public void TwoPeriodsADayApartCannotBeSubtractedIntoTheReportBetweenThem()
    {
        // HESA's own method (shares of true counts): 7 of 40 is 18%, 8 of 41 is 20%; both populations show as 40, and each
        // share then fits one count only, so the day between holds exactly one report, which its own figures show as 0.
        string Hesa(int count, int of) => $"{Math.Round(100.0 * count / of, MidpointRounding.AwayFromZero):0}%";
        (Hesa(7, 40), Hesa(8, 41)).ShouldBe(("18%", "20%"));

        // Shares of rounded counts say nothing the rounded counts do not: every truth behind "5 of 40" gives one share.
        new[] { (5, 38), (6, 40), (7, 42), (5, 42), (7, 38) }.Select(t => DisclosureControl.Share(t.Item1, t.Item2, Rounded)).Distinct()
            .ShouldBe(["13%"]);
    }

    [Fact]
    public void AMedianOfSevenOrFewerCasesIsSuppressed()
    {
        DisclosureControl.Average(2.5, 7, Rounded, d => d.ToString("0.0")).ShouldBeNull();
        DisclosureControl.Average(2.5, 8, Rounded, d => d.ToString("0.0")).ShouldBe("2.5");
        DisclosureControl.Average(2.5, 1, Unrounded, d => d.ToString("0.0")).ShouldBe("2.5");
    }

    [Fact]
    public void ATotalIsRoundedFromTheTrueTotalNotSummedFromRoundedRows()
    {
        // 3 + 3 + 3 = 9: each row shows 5, the total 10 (not 15).
        var table = DisclosureControl.Counts("t", "T", "Row", "Reports", [new("a", "A", 3), new("b", "B", 3), new("c", "C", 3)], 9, Rounded);
        table.Rows.Select(r => r.Cells[0]).ShouldBe(["5", "5", "5"]);
        table.Total!.Cells[0].ShouldBe("10");
    }

    [Fact]
    public void WithoutSecondarySuppressionTheHiddenRowCouldBeWorkedOutFromTheOthersShares()
    {
        // 25 reports: 1 by a visitor, 12 by students, 12 by staff. With HESA's shares of true counts, the visitor's count shows
        // as 0 and its share is hidden, but both others show 48%: the visitor's share is 100 - 96 = 4% of 25, 1 report.
        RawRow[] rows = [new("student", "Student", 12), new("staff", "Staff", 12), new("visitor", "Visitor", 1)];
        int[] others = [.. rows.Where(r => DisclosureControl.Round(r.Count) > 0).Select(r => (int)Math.Round(100.0 * r.Count / 25))];
        others.ShouldBe([48, 48]);
        (100 - others.Sum()).ShouldBe(4, "the leak that secondary suppression closes");

        var published = DisclosureControl.Counts("roles", "Who reported", "Reporter", "Reports", rows, 25, Rounded);

        published.Rows.Select(r => r.Cells[1]).ShouldBe(["suppressed", "40%", "suppressed"], "two hidden, and shares of rounded counts");
        published.Rows.Select(r => r.Cells[0]).ShouldBe(["10", "10", "0"]);
        published.Total!.Cells.ShouldBe(["25", "100%"]);
    }

    [Fact]
    public void TwoHiddenRowsNeedNoMoreSuppressionAndUnroundedFiguresNone()
    {
        RawRow[] rows = [new("a", "A", 30), new("b", "B", 2), new("c", "C", 1)];
        DisclosureControl.Counts("t", "T", "Row", "Reports", rows, 33, Rounded).Rows.Select(r => r.Cells[1]).ShouldBe(["86%", "suppressed", "suppressed"], "30 of 35");

        var unrounded = DisclosureControl.Counts("t", "T", "Row", "Reports", rows, 33, Unrounded);
        unrounded.Unrounded.ShouldBeTrue();
        unrounded.Rows.Select(r => r.Cells[0]).ShouldBe(["30", "2", "1"]);
        unrounded.Rows.Select(r => r.Cells[1]).ShouldBe(["91%", "6%", "3%"]);
    }
}
