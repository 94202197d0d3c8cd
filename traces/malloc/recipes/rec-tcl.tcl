# rec-tcl.tcl - the workload of rec-tcl.rep: lists, dicts and string
# commands over generated text (a fixed linear congruential generator).
set words {page frame table entry fault swap clock hand dirty bit heap
           block free list boundary tag coalesce split fit first next best}
set seed 4242
proc next_rand {} {
    global seed
    set seed [expr {($seed * 1103515245 + 12345) % 2147483648}]
    return $seed
}

set lines {}
for {set i 0} {$i < 350} {incr i} {
    set line {}
    set n [expr {3 + [next_rand] % 20}]
    for {set j 0} {$j < $n} {incr j} {
        lappend line [lindex $words [expr {[next_rand] % [llength $words]}]]
    }
    lappend lines [join $line " "]
}

set counts [dict create]
foreach line $lines {
    foreach w [split $line " "] {
        dict incr counts $w
    }
}
set upper {}
foreach line $lines {
    lappend upper [string toupper [regsub -all {\m(\w)} $line {<\1>}]]
}
set sorted [lsort -stride 2 -index 1 -integer -decreasing $counts]
puts "[dict size $counts] distinct, [string length [join $upper \n]] bytes, top [lrange $sorted 0 1]"
