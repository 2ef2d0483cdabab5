using RoleSync.LoadTest;

if (args is ["--child"])
{
    return await Child.RunAsync();
}
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(HarnessOptions.Usage);
    return 0;
}
var (options, error) = HarnessOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 2;
}
var command = "dotnet run -c Release --project bench/RoleSync.LoadTest --" + string.Concat(args.Select(a => " " + a));
return await new Orchestrator(options, command.TrimEnd(' ', '-')).RunAsync();
