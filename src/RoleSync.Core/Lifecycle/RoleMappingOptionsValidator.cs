using Microsoft.Extensions.Options;
using RoleSync.Contract;

namespace RoleSync.Lifecycle;

/// <summary>Start-up check of <see cref="RoleMappingOptions"/>: every target is a role key; each failure names its setting.</summary>
public sealed class RoleMappingOptionsValidator : IValidateOptions<RoleMappingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoleMappingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Map
            .Where(entry => entry.Value is null || !ClerkIds.IsRoleKey(entry.Value))
            .Select(entry => $"{RoleMappingOptions.SectionName}:Map:{entry.Key} must be a Clerk role key (\"{ClerkIds.RoleKeyPrefix}\" followed by 1-{ClerkIds.MaxRoleKeyLength} lowercase letters, digits or underscores, e.g. org:admin), not \"{entry.Value}\".")
            .Concat(options.Map.Keys
                .Where(key => key.Length > RoleChangeParser.MaxRoleNameLength || key.Any(char.IsControl))
                .Select(key => $"{RoleMappingOptions.SectionName}:Map: the HR role name \"{key[..Math.Min(key.Length, 40)]}\" must be 1-{RoleChangeParser.MaxRoleNameLength} characters without control characters."))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
