# rec-awk.awk - the workload of rec-awk.rep: count names, concatenate values
# per word into growing strings, then walk both arrays.
{
    count[$1]++
    values[$3] = values[$3] " " $2
}
END {
    n = 0
    for (k in count) n += count[k]
    for (k in values) n += length(values[k])
    print n
}
