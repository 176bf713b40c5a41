namespace Harbour.Contracts;

// How first contact with the reporter was made ("record first contact" on a case).
public static class FirstContactMethods
{
    public const string Message = "message";
    public static readonly Terms Terms = new(new("phone", "Phone"), new("email", "Email"), new("meeting", "Meeting"),
        new(Message, "Message on the follow-up page"));
}
