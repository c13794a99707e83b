using AssetRecovery.BuildingBlocks;
using AssetRecovery.Freeze.Domain;

namespace AssetRecovery.UnitTests.Freeze;

public sealed class AccountNumbersTests
{
    [Theory]
    [InlineData("GB82 WEST 1234 5698 7654 32")]
    [InlineData("DE89370400440532013000")]
    [InlineData("6222020200112233445")]
    [InlineData("6222-0202-0011-2233")]
    public void Valid_account_numbers_pass(string account) => Assert.True(Check(account).IsValid);

    [Theory]
    [InlineData("GB82 WEST 1234 5698 7654 33", "check digits")]
    [InlineData("DE89370400440532013001", "check digits")]
    [InlineData("12345", "6 to 34")]
    [InlineData("6222'; DROP TABLE x;--", "letters A-Z and digits")]
    [InlineData("ABC123456789", "digits only")]
    public void Invalid_account_numbers_say_why(string account, string why)
    {
        var v = Check(account);
        var error = Assert.Throws<RequestValidationException>(v.ThrowIfInvalid);
        Assert.Contains(why, error.Errors["accountNumber"].Single());
    }

    private static Validator Check(string account)
    {
        var v = new Validator();
        AccountNumbers.Validate(v, "accountNumber", account);
        return v;
    }
}
