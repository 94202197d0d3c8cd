# rec-perl.pl - the workload of rec-perl.rep: generate text with a fixed
# linear congruential generator, then split, count, rewrite with regular
# expressions, sort and join, as a report script would.
use strict;
use warnings;

my @words = qw(page frame table entry fault swap clock hand dirty bit heap
               block free list boundary tag coalesce split fit first next best);
my $seed = 12345;
sub next_rand { $seed = ($seed * 1103515245 + 12345) % 2147483648; return $seed; }

my @lines;
for my $i (1 .. 1500) {
    my $n = 3 + next_rand() % 20;
    push @lines, join(" ", map { $words[next_rand() % @words] } 1 .. $n);
}

my (%count, %first_seen, %by_length);
for my $i (0 .. $#lines) {
    for my $w (split /\s+/, $lines[$i]) {
        $count{$w}++;
        $first_seen{$w} //= $i;
    }
    (my $loud = $lines[$i]) =~ s/\b(\w)/\U$1/g;
    push @{ $by_length{ length $loud } }, $loud;
}

my @report;
for my $w (sort { $count{$b} <=> $count{$a} || $a cmp $b } keys %count) {
    push @report, sprintf("%-10s %6d %6d", $w, $count{$w}, $first_seen{$w});
}
my $longest = (sort { $b <=> $a } keys %by_length)[0];
my $joined = join("\n", @report);
printf "%d words, %d distinct, longest line %d, report %d bytes\n",
    scalar(map { split /\s+/ } @lines), scalar(keys %count), $longest, length $joined;
