using System.Net;

namespace Harbour.EndToEnd.Tests;

[Collection(HarbourCollection.Name)]
public sealed class InstitutionProfileJourneyTests(HarbourSystem harbour)
{
    [Fact]
    public async Task AnAdminsEditsToACategoryAndABuildingShowOnThePublicForm()
    {
        var admin = harbour.Visitor();
        (await StaffSignIn.SignInAsync(admin, HarbourSystem.AdminEmail, HarbourSystem.AdminPassword)).SignedIn().ShouldBeTrue();

        var categories = HtmlForm.Read(await admin.GetStringAsync("/cases/profile/categories"));
        var race = categories.Names.Single(n => n.EndsWith(".id") && categories[n] == "race");
        categories[race.Replace(".id", ".name")] = "Race or ethnicity";
        (await admin.PostAsync("/cases/profile/categories", categories.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var places = HtmlForm.Read(await admin.GetStringAsync("/cases/profile/places"));
        var blank = int.Parse(places["rowCount"]!) - 1;
        places[$"places[{blank}].id"] = "city-campus/medical-school";
        places[$"places[{blank}].name"] = "Medical School";
        places[$"places[{blank}].campus"] = "City campus";
        (await admin.PostAsync("/cases/profile/places", places.ToContent())).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var visitor = harbour.Visitor();
        var form = await Eventually.GetAsync(() => visitor.GetStringAsync("/report"),
            page => page.Contains("Race or ethnicity") && page.Contains("Medical School"), "the public form to follow the profile");
        form.ShouldContain("""<option value="city-campus/medical-school">Medical School</option>""");
        (await visitor.GetStringAsync("/guidance/what-happens-next")).ShouldContain("Within one working day");
        (await visitor.GetStringAsync("/support")).ShouldContain("Campus Security");
    }
}
