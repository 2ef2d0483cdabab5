using RoleSync.LoadTest;

return await HarnessCommand.RunAsync(args);
