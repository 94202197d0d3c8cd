# rec-awk-input.awk - write the input of rec-awk.rep: 30000 lines of
# "NAME-N VALUE WORDS", from a fixed linear congruential generator.
BEGIN {
    split("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu", w, " ")
    seed = 777
    for (i = 0; i < 30000; i++) {
        printf "%s-%d %d %s\n", w[1 + next_rand() % 12], next_rand() % 1000, next_rand() % 1000000, \
            w[1 + next_rand() % 12] w[1 + next_rand() % 12]
    }
}
function next_rand() {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed
}
