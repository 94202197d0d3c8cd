# rec-python.py - the workload of rec-python.rep: build records, round-trip
# them through JSON, tokenize their text with regular expressions, count.
# Seeded, so every run does the same work.
import json
import random
import re
from collections import Counter

rng = random.Random(2024)
WORDS = ("page frame table entry fault swap clock hand dirty bit heap block "
         "free list boundary tag coalesce split fit first next best").split()

records = []
for i in range(1500):
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 25)))
    records.append({"id": i, "name": "rec%05d" % i, "text": text,
                    "tags": rng.sample(WORDS, rng.randrange(1, 5)),
                    "size": rng.randrange(1, 1 << 20)})

blob = json.dumps(records, indent=1, sort_keys=True)
back = json.loads(blob)
assert back == records

token = re.compile(r"[a-z]+|\d+")
pair = re.compile(r"(\w+) (\w+)")
words = Counter()
pairs = Counter()
for r in back:
    words.update(token.findall(r["text"]))
    pairs.update(m.group(1) + "+" + m.group(2) for m in pair.finditer(r["text"]))
    r["text"] = re.sub(r"\b(\w)(\w*)", lambda m: m.group(1).upper() + m.group(2), r["text"])

summary = {"records": len(back), "bytes": len(blob),
           "top_words": words.most_common(5), "top_pairs": pairs.most_common(5)}
print(json.dumps(summary, sort_keys=True))
