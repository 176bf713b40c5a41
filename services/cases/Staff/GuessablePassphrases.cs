using Microsoft.AspNetCore.Identity;

namespace Harbour.Cases.Staff;

// A new passphrase that is easy to guess is refused, wherever one is chosen (an invitation, a change, a forgotten
// passphrase, the first Admin's): OWASP ASVS 5.0 V6.2.4 (not among the commonest passwords) and V6.2.11 (not built from
// words of the context). The estimate is zxcvbn's, a port of an early version of Dropbox's estimator: it finds the 30,000
// commonest passwords of published breaches, English words, names and surnames, keyboard runs, sequences, repeats,
// dates, and the context words it is given (the person's name and address, Harbour's own words), and scores how hard
// the whole is to guess from 0 to 4; under 3 is refused. Only the first 64 characters are weighed: the work grows with
// the square of the length, and a passphrase whose first 64 characters are hard to guess is hard to guess.
public sealed class GuessablePassphrases : IPasswordValidator<StaffUser>
{
    public const string Code = "PassphraseEasyToGuess";
    const int MinimumScore = 3, Weighed = 64;
    static readonly string[] HarbourWords = ["harbour", "cases", "case", "manager", "university", "staff", "admin"];
    // One estimator for the process: it loads its word lists (about 90,000 entries) when made, which its static
    // MatchPassword would do again at every call (tens of milliseconds each, against a few here). It only reads them.
    static readonly Zxcvbn.Zxcvbn Estimator = new();

    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password)
    {
        var passphrase = password ?? "";
        var context = new[] { user.Email, user.DisplayName }
            .SelectMany(words => (words ?? "").Split([' ', '.', '@', '-', '_', '+'], StringSplitOptions.RemoveEmptyEntries))
            .Concat(HarbourWords).Select(word => word.ToLowerInvariant()).Distinct().ToList();
        var score = Estimator.EvaluatePassword(passphrase[..Math.Min(passphrase.Length, Weighed)], context).Score;
        return Task.FromResult(score >= MinimumScore ? IdentityResult.Success : IdentityResult.Failed(new IdentityError
        {
            Code = Code,
            Description = "This passphrase is too easy to guess: it is made of common passwords, names, dates or keyboard patterns, " +
                          "or of your own name or Harbour's. Try three or four words that have nothing to do with each other.",
        }));
    }
}
