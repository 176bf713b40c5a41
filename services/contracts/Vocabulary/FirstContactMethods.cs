namespace Harbour.Contracts;

// How first contact with the reporter was made ("record first contact" on a case).
public static class FirstContactMethods
{
    public const string Message = "message", Meeting = "meeting";
    public static readonly Terms Terms = new(new("phone", "Phone"), new("email", "Email"), new(Meeting, "Meeting"),
        new(Message, "Message on the follow-up page"));
}
