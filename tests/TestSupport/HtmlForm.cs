using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Harbour.Testing;

// A form read from a page and sent back as a browser without JavaScript would send it: every field with its
// current value, ticked boxes only, the antiforgery token included.
public sealed class HtmlForm
{
    readonly List<KeyValuePair<string, string>> fields;

    HtmlForm(List<KeyValuePair<string, string>> fields, string action) => (this.fields, Action) = (fields, action);

    public string Action { get; }

    public static HtmlForm Read(string html, string selector = "form[method=post]", string pageUrl = "")
    {
        var document = new HtmlParser().ParseDocument(html);
        var form = document.QuerySelectorAll(selector).OfType<IHtmlFormElement>().Last();
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio", IsChecked: false }:
                case IHtmlInputElement { Type: "submit" or "file" }:
                case IHtmlButtonElement:
                    break;
                case IHtmlInputElement input when input.Name is { Length: > 0 } name:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement area when area.Name is { Length: > 0 } name:
                    fields.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 } name:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
            }
        }
        return new HtmlForm(fields, form.GetAttribute("action") ?? pageUrl);
    }

    public string? this[string name]
    {
        get => fields.FirstOrDefault(f => f.Key == name).Value;
        set
        {
            fields.RemoveAll(f => f.Key == name);
            if (value is not null) fields.Add(new(name, value));
        }
    }

    public IEnumerable<string> Names => fields.Select(f => f.Key);

    public FormUrlEncodedContent ToContent() => new(fields);

    // The form with a file chosen, as a browser sends it.
    public MultipartFormDataContent ToMultipart(string fileField, string fileName, byte[] content)
    {
        var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in fields) multipart.Add(new StringContent(value), name);
        multipart.Add(new ByteArrayContent(content), fileField, fileName);
        return multipart;
    }
}
