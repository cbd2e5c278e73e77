// PLACE FOR THE SNAPSHOT OWNER: snapshot write and restore benchmarks go in this file
// once Snapshot/ lands on main (issue 6 asks for MB/s and ms for a perl snapshot).
// Suggested shape, mirroring Lz4Benchmarks: a [GlobalSetup] that starts perl under a
// LinuxProcess and runs it to its first read of stdin, then
//   [Benchmark] WriteSnapshot()   - serialise the process (pages LZ4-compressed) to a MemoryStream
//   [Benchmark] RestoreSnapshot() - rebuild a LinuxProcess from that stream
// and report MB/s as snapshot bytes / time. Add a reference to Snapshot/ in the csproj.
namespace Jitexec.Perf;
