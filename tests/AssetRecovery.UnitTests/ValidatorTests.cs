using AssetRecovery.BuildingBlocks;

namespace AssetRecovery.UnitTests;

public class ValidatorTests
{
    [Fact]
    public void An_optional_enum_filter_is_null_when_absent_and_takes_a_name_in_any_case()
    {
        Assert.Null(Validator.OptionalEnum<DayOfWeek>("day", null));
        Assert.Equal(DayOfWeek.Tuesday, Validator.OptionalEnum<DayOfWeek>("day", "tuesday"));
    }

    [Theory]
    [InlineData("Someday")]
    [InlineData("")]
    [InlineData("9")]
    public void An_optional_enum_filter_naming_no_value_is_a_400_for_its_field(string value)
    {
        var error = Assert.Throws<RequestValidationException>(() => Validator.OptionalEnum<DayOfWeek>("day", value));
        var message = Assert.Single(Assert.Single(error.Errors, e => e.Key == "day").Value);
        Assert.StartsWith("must be one of Sunday, Monday,", message);
    }
}
