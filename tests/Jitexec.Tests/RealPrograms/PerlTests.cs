// perl one-liners natively and under jitexec: each script exercises several features
// (hashes, regexes, sprintf of doubles, pack/unpack, POSIX, core modules, die and exit
// statuses, %ENV and @ARGV) so the suite stays fast.
using Xunit;
using static Jitexec.Tests.RealPrograms.RealProgram;

namespace Jitexec.Tests.RealPrograms;

public sealed class PerlTests
{
    private static readonly Dictionary<string, string> Env = new() { ["JX_GREETING"] = "hé llo", ["PERL_HASH_SEED"] = "0" };

    [Fact]
    public void HashesRegexesAndFormatting() => Same("perl", ["-e", """
        use strict; use warnings;
        my %h; $h{$_ % 17} .= chr(97 + $_ % 26) for 1 .. 500;
        print join(",", map { "$_=" . length($h{$_}) } sort { $a <=> $b } keys %h), "\n";
        my @w = ("The quick brown fox" =~ /(\w+)\s+(\w+)$/); print "@w\n";
        (my $s = "a1b22c333") =~ s/(\d+)/<${\ length $1}>/g; print "$s\n";
        print join("|", split /\s*,\s*/, "x , y,z ,, w"), "\n";
        my $re = qr/^(?<user>[a-z]+)@(?<host>[\w.]+)$/i;
        print "$+{user} at $+{host}\n" if 'Alice@Example.org' =~ $re;
        printf "%.17g %.3e %g %g %g %s\n", 0.1 + 0.2, 6.02214076e23, 1e-5, 123456789, 1/3, 1e21;
        printf "%08.3f|%-8s|%+d|%x|%o|%b|%5.1f%%\n", 3.14159, "ab", 42, 255, 8, 10, 99.44;
        print 2**53 + 1, " ", 9**20, " ", -7 / 2, " ", int(-7 / 2), " ", -7 % 3, " ", 10 ** -3, "\n";
        print join(",", sort { $a <=> $b } (10, 9, 100, -1.5, 3e2)), " ", join(",", reverse 1 .. 5), "\n";
        my @stack = map { { id => $_, sq => $_ * $_ } } 1 .. 5;
        print join(" ", map { "$_->{id}:$_->{sq}" } grep { $_->{sq} % 2 } @stack), "\n";
        local $, = "-"; local $\ = "!\n"; print "a", "b", sprintf("%vd", "1.22.333");
        """], env: Env);

    [Fact]
    public void PackUnpackAndPosix() => Same("perl", ["-MPOSIX", "-e", """
        my $bin = pack("NnCa4Z*w/a*q<d>", 0xDEADBEEF, 513, 7, "ab", "zstr", "counted", -2, 1.5);
        print unpack("H*", $bin), "\n";
        my @f = unpack("NnCa4Z*w/a*q<d>", $bin); print join("|", @f), "\n";
        print join(",", unpack("(A2)*", "aabbccd")), " ", unpack("%32C*", "checksum"), "\n";
        print floor(-2.5), " ", ceil(2.1), " ", fmod(10, 3), " ", POSIX::pow(2, 0.5), " ", DBL_MAX, " ", INT_MAX, "\n";
        print strftime("%Y-%m-%d %H:%M:%S %j %a", gmtime(1234567890)), "\n";
        print strtol("0x1f", 16), " ", (strtod("3.25abc"))[0], " ", LONG_MIN, " ", isatty(0) ? "tty" : "notty", "\n";
        printf "%s %s\n", POSIX::strerror(2), POSIX::strerror(13);
        my @t = POSIX::uname(); print scalar(@t), "\n";
        print sprintf("%.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, -0.5), "\n";
        print join(",", map { sprintf "%.2f", $_ } (sqrt(2), atan2(1, 1) * 4, exp(1), log(10))), "\n";
        """]);

    [Fact]
    public void CoreModules() => Same("perl", ["-MData::Dumper", "-MDigest::MD5=md5_hex", "-MDigest::SHA=sha256_hex", "-MJSON::PP",
        "-MList::Util=sum,max,first,reduce", "-MMIME::Base64", "-MStorable=dclone", "-MTime::Local", "-e", """
        $Data::Dumper::Sortkeys = 1; $Data::Dumper::Indent = 1;
        my $d = { name => "x", list => [1, 2.5, "three", undef], nested => { a => [], b => {} } };
        print Dumper($d);
        print md5_hex("The quick brown fox"), " ", sha256_hex("abc"), "\n";
        my $json = JSON::PP->new->canonical->pretty;
        my $txt = $json->encode({ pi => 3.14159, list => [1, "two", JSON::PP::true, undef], s => "q\"uote\x{263a}" });
        print $txt; my $back = $json->decode($txt); print $back->{list}[1], " ", $back->{pi} * 2, "\n";
        print sum(1 .. 100), " ", max(3, 9, 2), " ", first { $_ > 3 } (1, 5, 7); print " ", reduce { $a * $b } 1 .. 10; print "\n";
        print encode_base64("binary\0data\xff"), decode_base64("aGVsbG8="), "\n";
        my $c = dclone($d); $c->{list}[0] = 99; print $d->{list}[0], $c->{list}[0], "\n";
        print timegm(0, 0, 0, 1, 0, 2000), "\n";
        """]);

    [Fact]
    public void EnvAndArgv() => Same("perl", ["-e", """
        print scalar(@ARGV), ": ", join("|", @ARGV), "\n";
        print "$ENV{JX_GREETING} ", (exists $ENV{JX_MISSING} ? "set" : "unset"), " $0\n";
        $ENV{CHILD} = 1; print join(",", grep { /^JX_/ } sort keys %ENV), "\n";
        while (my $line = <STDIN>) { chomp $line; print scalar reverse($line), "\n" }
        """, "one", "two words", "", "--flag=3"], stdin: "abc\nxyz\n", env: Env);

    [Theory]
    [InlineData("exit 3", 3)]
    [InlineData("die qq(boom\\n)", 255)]
    [InlineData("$! = 2; die qq(with errno)", 2)]
    [InlineData("print STDERR qq(warned\\n); warn qq(careful); exit 0", 0)]
    [InlineData("eval { die { code => 7 } }; print qq(caught $@->{code}\\n); exit $@->{code}", 7)]
    [InlineData("open(my $f, q(<), q(/nonexistent/x)) or die qq(open: $!\\n)", 2)]
    [InlineData("my $x = 1 / 0", 255)]
    public void DieAndExitStatuses(string script, int status) => Same("perl", ["-e", script], expectExit: status);

    [Fact]
    public void FilesAndSprintfOfManyDoubles() => Same("perl", ["-e", """
        my $t = "/tmp/jitexec-perl-$$"; mkdir $t or die; open(my $o, ">", "$t/f") or die; 
        printf $o "%.15g\n", $_ / 7 for 1 .. 2000; close $o;
        open(my $i, "<", "$t/f") or die; my ($n, $sum) = (0, 0); while (<$i>) { $n++; $sum += $_ } close $i;
        my @st = stat("$t/f"); printf "%d lines, sum %.6f, size %d\n", $n, $sum, $st[7];
        opendir(my $dh, $t) or die; print join(",", grep { !/^\./ } readdir $dh), "\n"; closedir $dh;
        unlink "$t/f" or die; rmdir $t or die; print -e $t ? "left\n" : "cleaned\n";
        """]);
}
