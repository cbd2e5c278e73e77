// jitexec is Linux-only: its tests run guests on the Linux host.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
